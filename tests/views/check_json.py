#!/usr/bin/env python3
"""Checks `currantc graph --format json` output against its manifest:
`check_json.py OUT.json MANIFEST.json`.  Every node (uniform fields), every
edge whose ends exist with matching source/target indices, the files, and
kinds from the documented sets.  Prints problems; exit 1 on any."""
import json
import sys

NODE_KINDS = {'module', 'function', 'task', 'site', 'prompt'}
EDGE_KINDS = {'call', 'data', 'import', 'cross_lang', 'contains'}


def main():
    view = json.load(open(sys.argv[1], encoding='utf-8'))
    manifest = json.load(open(sys.argv[2], encoding='utf-8'))
    problems = []
    if view.get('format') != 'currant.view/1':
        problems.append('format is not currant.view/1')
    nodes = view.get('nodes', [])
    ids = [n.get('id') for n in nodes]
    if ids != [n['id'] for n in manifest['nodes']]:
        problems.append('node ids differ from the manifest')
    for n in nodes:
        missing = [k for k in ('id', 'kind', 'label', 'file', 'line') if k not in n]
        if missing or n['kind'] not in NODE_KINDS or not isinstance(n['line'], int):
            problems.append(f'bad node {n.get("id")}: missing {missing}')
    known = set(ids)
    want = [(e['from'], e['to'], e['kind']) for e in manifest['edges'] if e['from'] in known and e['to'] in known]
    got = [(e.get('from'), e.get('to'), e.get('kind')) for e in view.get('edges', [])]
    if got != want:
        problems.append(f'{len(got)} edges, {len(want)} expected from the manifest')
    for e in view.get('edges', []):
        if e['kind'] not in EDGE_KINDS or ids[e['source']] != e['from'] or ids[e['target']] != e['to']:
            problems.append(f'bad edge {e}')
            break
    paths = [f['path'] for f in view.get('files', [])]
    if paths[:len(manifest['files'])] != [f['path'] for f in manifest['files']]:
        problems.append('files differ from the manifest')
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
