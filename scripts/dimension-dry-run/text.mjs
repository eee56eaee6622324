// Text edits the dry run's SCM and platform edits share: each throws when its anchor is missing,
// so an edit that no longer applies fails loudly instead of changing nothing.

/** Inserts after the last match of `pattern` (which must match). */
export function insertAfterLast(text, pattern, insertion) {
  const matches = [...text.matchAll(pattern)];
  const last = matches.at(-1);
  if (!last) throw new Error(`no match for ${pattern}`);
  const at = last.index + last[0].length;
  return text.slice(0, at) + insertion + text.slice(at);
}

/** Replaces `from` (which must occur) with `to`: a changed file must say why it did not change. */
export function replaceOnce(text, from, to, file) {
  if (!text.includes(from)) throw new Error(`${file}: ${JSON.stringify(from.slice(0, 60))} not found`);
  return text.replace(from, to);
}
