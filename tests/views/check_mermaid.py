#!/usr/bin/env python3
"""Checks the structure of `currantc graph --format mermaid` output against
its manifest: `check_mermaid.py OUT.mmd MANIFEST.json`.  One flowchart LR,
one subgraph per file (balanced with `end`), one declaration per node with
a generated id and a quoted label free of raw markup, edges between
declared ids, one linkStyle per edge.  Prints problems; exit 1 on any."""
import json
import re
import sys

NODE = re.compile(r'^    n(\d+)(\[\[|\[/|\{\{|\(\[|\[)"([^"]*)"(\]\]|/\]|\}\}|\]\)|\]):::c_[a-z]+$')
EDGE = re.compile(r'^  n(\d+) (-->|-\.->|--o|==>|---) n(\d+)$')
SUB = re.compile(r'^  subgraph f\d+\["([^"]*)"\]$')


def main():
    text = open(sys.argv[1], encoding='utf-8').read().splitlines()
    manifest = json.load(open(sys.argv[2], encoding='utf-8'))
    problems = []
    if not text or text[0] != 'flowchart LR':
        problems.append('first line is not "flowchart LR"')
    nodes, edges, subs, depth, styles = set(), [], 0, 0, 0
    for no, line in enumerate(text[1:], 2):
        if m := NODE.match(line):
            if m.group(1) in nodes:
                problems.append(f'line {no}: node n{m.group(1)} declared twice')
            nodes.add(m.group(1))
            if re.search(r'[<>"`]', m.group(3)):
                problems.append(f'line {no}: unescaped character in label')
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(3)))
        elif m := SUB.match(line):
            subs += 1
            depth += 1
            if re.search(r'[<>"`]', m.group(1)):
                problems.append(f'line {no}: unescaped character in subgraph title')
        elif line == '  end':
            depth -= 1
        elif line.startswith('  linkStyle '):
            styles += 1
        elif not (line.startswith('  classDef ') or line == '    direction LR'):
            problems.append(f'line {no}: unexpected: {line[:80]}')
    ids = {n['id'] for n in manifest['nodes']}
    files = {f['path'] for f in manifest['files']} | {n['file'] for n in manifest['nodes']}
    if depth != 0:
        problems.append('subgraph/end unbalanced')
    if len(nodes) != len(ids):
        problems.append(f'{len(nodes)} nodes declared, manifest has {len(ids)}')
    if subs != len(files):
        problems.append(f'{subs} subgraphs, manifest has {len(files)} files')
    if any(a not in nodes or b not in nodes for a, b in edges):
        problems.append('edge to an undeclared node')
    if styles != len(edges):
        problems.append(f'{styles} linkStyle lines for {len(edges)} edges')
    if not edges and manifest['edges']:
        problems.append('no edges')
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
