/** A stand-in for process.stderr that records what a progress printer writes (a terminal or a CI log). */
export function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (text: string) => (chunks.push(text), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join(''), chunks };
}
