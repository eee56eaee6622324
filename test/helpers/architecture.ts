/**
 * The checker behind test/architecture.test.ts: the rooms of cli/layers.json, the room of a file
 * (the longest room that prefixes its path), and the problems of a source tree: a file in no room,
 * an import into a room its room may not import (or into no room: test/, scripts/, bench/), a relative
 * import() of a computed path (no room can be read from it), a room with no folder, a
 * mayImport naming no room, and a folder-level cycle (in the imports, or allowed by layers.json).
 * Paths are repository-relative with '/' separators.
 */
import { posix } from 'node:path';
import { importsOf } from './imports.js';

export interface Room {
  role: string;
  mayImport: string[];
}

export type Rooms = Record<string, Room>;

export interface SourceText {
  path: string;
  text: string;
}

/** An import site that crosses rooms. */
export interface RoomEdge {
  from: string;
  to: string;
  site: string;
}

export function roomOf(path: string, rooms: Rooms): string | null {
  let best: string | null = null;
  for (const room of Object.keys(rooms)) {
    if ((path === room || path.startsWith(`${room}/`)) && (best === null || room.length > best.length)) best = room;
  }
  return best;
}

/** Every relative import between two rooms, and the problems of each file and import. */
function crossings(rooms: Rooms, files: readonly SourceText[], exempt: ReadonlySet<string>): { edges: RoomEdge[]; problems: string[] } {
  const edges: RoomEdge[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const from = roomOf(file.path, rooms);
    if (from === null) {
      problems.push(`${file.path}:1: the file is in no room of cli/layers.json`);
      continue;
    }
    for (const { specifier, line, computed } of importsOf(file.text, file.path)) {
      if (!specifier.startsWith('.')) continue;
      const site = `${file.path}:${line}`;
      if (computed) {
        problems.push(`${site}: imports a computed path (${specifier}...), which no checker can place in a room: import a string literal`);
        continue;
      }
      // Resolved from the file and normalised: './../x', 'a/../b' and 'a//b' land where they point.
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      const to = roomOf(target, rooms);
      if (to === from || exempt.has(`${file.path} ${specifier}`)) continue;
      if (to === null) problems.push(`${site}: imports ${specifier} (${target}), which is in no room`);
      else if (!rooms[from]!.mayImport.includes(to)) problems.push(`${site}: ${from} may not import ${to} (${specifier})`);
      if (to !== null) edges.push({ from, to, site });
    }
  }
  return { edges, problems };
}

/** Strongly connected components of more than one node (Tarjan): the nodes caught in cycles. */
function tangles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let top = stack.pop()!; ; top = stack.pop()!) {
      component.push(top);
      if (top === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** One shortest cycle per tangle, from its smallest node: [a, b, c] stands for a -> b -> c -> a. */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  return tangles(graph).map((component) => {
    const start = component[0]!;
    const inside = new Set(component);
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const node = queue.shift()!;
      for (const next of graph.get(node) ?? []) {
        if (!inside.has(next) || previous.has(next)) continue;
        previous.set(next, node);
        if (next === start) queue.length = 0;
        else queue.push(next);
      }
    }
    const cycle = [start];
    for (let node = previous.get(start)!; node !== start; node = previous.get(node)!) cycle.unshift(node);
    return [start, ...cycle.slice(0, -1)];
  });
}

function graphOf(pairs: Iterable<[string, string]>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [from, to] of pairs) graph.set(from, (graph.get(from) ?? new Set()).add(to));
  return graph;
}

/**
 * Every problem, each naming where it is. isFolder tells whether a room's folder exists; exempt
 * holds "FILE SPECIFIER" imports a pending change removes (they count nowhere).
 */
export function architectureProblems(rooms: Rooms, files: readonly SourceText[], isFolder: (room: string) => boolean, exempt: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  for (const [name, room] of Object.entries(rooms)) {
    if (!isFolder(name)) problems.push(`cli/layers.json: room ${name} has no folder`);
    for (const other of room.mayImport) if (!rooms[other]) problems.push(`cli/layers.json: room ${name} may import ${other}, which is no room`);
  }
  for (const cycle of cycles(graphOf(Object.entries(rooms).flatMap(([name, room]) => room.mayImport.map((other): [string, string] => [name, other]))))) {
    problems.push(`cli/layers.json: the rooms may import each other in a cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
  }
  const { edges, problems: importProblems } = crossings(rooms, files, exempt);
  problems.push(...importProblems);
  for (const cycle of cycles(graphOf(edges.map((edge): [string, string] => [edge.from, edge.to])))) {
    const sites = cycle.map((from, index) => {
      const to = cycle[(index + 1) % cycle.length]!;
      return `${from} -> ${to} at ${edges.find((edge) => edge.from === from && edge.to === to)!.site}`;
    });
    problems.push(`folder-level import cycle ${[...cycle, cycle[0]].join(' -> ')}: ${sites.join('; ')}`);
  }
  return problems;
}
