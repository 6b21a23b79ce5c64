#!/usr/bin/env python3
"""Writes a synthetic currant.graph/1 manifest (same shape as emit/manifest.c)
for the views tests: `gen_manifest.py FILES FUNCS SITES [--xss] > m.json`.
FILES files alternate Python and JavaScript; each has FUNCS functions (every
third a task, the first a class with a method) and SITES boundary sites per
function; functions call the next file's first function (cross-language every
other file), sites feed the next site (data), files import the next file.
--xss puts HTML/JS payloads into every string a view shows."""
import json
import sys

XSS = ['<img src=x onerror=alert(1)>', '</script><script>alert(2)</script>',
       '"><svg onload=alert(3)>', "';alert(4)//", '<!--', '${alert(5)}']


def main():
    nfiles, nfuncs, nsites = (int(a) for a in sys.argv[1:4])
    xss = '--xss' in sys.argv
    files, nodes, edges = [], [], []

    def p(i):
        return XSS[i % len(XSS)] if xss else ''

    for f in range(nfiles):
        lang = 'python' if f % 2 == 0 else 'javascript'
        rel = f'pkg{f // 10}/{p(f)}mod{f}.' + ('py' if lang == 'python' else 'js')
        files.append({'path': rel, 'language': lang, 'module': rel, 'sha256': '0' * 64,
                      'status': 'instrumented', 'sites': nfuncs * nsites, 'source_map': None})
        mid = f'module:{rel}'
        nodes.append({'id': mid, 'kind': 'module', 'file': rel, 'language': lang, 'name': rel})
        for g in range(nfuncs):
            q = (f'C{p(g)}' if g == 0 else f'f{g}{p(g + f)}')
            fid = f'function:{rel}:{q}'
            nodes.append({'id': fid, 'kind': 'task' if g % 3 == 2 else 'function',
                          'def': 'class' if g == 0 else 'function', 'file': rel, 'qualname': q,
                          'name': q, 'line': 10 * g + 1, 'col': 1, 'task': g % 3 == 2,
                          'async': False, 'exported': True, 'arity': {'min': 0, 'max': 1}})
            edges.append({'from': mid, 'to': fid, 'kind': 'contains'})
            prev = None
            for s in range(nsites):
                sid = f'{rel}:{q}:time.time{p(s)}#{s}'
                nodes.append({'id': f'site:{sid}', 'kind': 'site', 'site_id': sid, 'index': s,
                              'file': rel, 'line': 10 * g + 2 + s, 'col': 5, 'function': q,
                              'callee': f'time.time{p(s)}', 'canonical': 'time.time',
                              'boundary': 'catalogue', 'category': 'clock', 'awaited': False,
                              'form': 'call', 'scope': []})
                edges.append({'from': fid, 'to': f'site:{sid}', 'kind': 'contains'})
                if prev:
                    edges.append({'from': prev, 'to': f'site:{sid}', 'kind': 'data'})
                prev = f'site:{sid}'
            if f + 1 < nfiles and g > 0:
                edges.append({'from': fid, 'to': None, 'kind': 'call'})  # patched below
        if f + 1 < nfiles:
            edges.append({'from': mid, 'to': None, 'kind': 'import', 'next': f + 1})
    # patch forward references now that every node id is known
    first = {}
    mods = {}
    for n in nodes:
        if n['kind'] == 'module':
            mods[len(mods)] = n['id']
        elif n['kind'] in ('function', 'task') and n.get('def') == 'function':
            first.setdefault(n['file'], n['id'])
    by_file = [fl['path'] for fl in files]
    out = []
    for e in edges:
        if e['to'] is not None:
            out.append(e)
            continue
        if e['kind'] == 'import':
            out.append({'from': e['from'], 'to': mods[e['next']], 'kind': 'import'})
            continue
        src_file = e['from'].split(':', 2)[1].rsplit(':', 1)[0] if False else None
        for i, path in enumerate(by_file):
            if e['from'].startswith(f'function:{path}:') and i + 1 < len(by_file):
                tgt = first.get(by_file[i + 1])
                if tgt:
                    out.append({'from': e['from'], 'to': tgt, 'kind': 'call'})
                    if i % 2 == 0:
                        out.append({'from': e['from'], 'to': tgt, 'kind': 'cross_lang'})
                break
    out.sort(key=lambda e: (e['from'], e['to'], e['kind']))
    json.dump({'format': 'currant.graph/1', 'compiler': {'name': 'currantc', 'version': '0.1.0'},
               'config': {'hash': ''}, 'files': files, 'nodes': nodes, 'edges': out,
               'unresolved': {}, 'stats': {}}, sys.stdout, indent=1)


main()
