/** The ```sh blocks of Markdown docs, which the docs tests run (`sh run`, optionally `exit=N`). */
export interface ShellBlock {
  readonly line: number;
  readonly run: boolean;
  readonly exit: number;
  readonly script: string;
}

/** The ```sh blocks of a Markdown text, with their `run` / `exit=N` markers. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(sh|bash|shell|console)\b(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const info = open[2] ?? '';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j] ?? '')) body.push(lines[j++] ?? '');
    blocks.push({
      line: i + 1,
      run: /\brun\b/.test(info),
      exit: Number(/\bexit=(\d+)/.exec(info)?.[1] ?? 0),
      script: body.join('\n'),
    });
    i = j;
  }
  return blocks;
}
