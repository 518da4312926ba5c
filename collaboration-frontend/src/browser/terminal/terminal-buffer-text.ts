import type { Terminal } from 'xterm';

/**
 * The text an xterm shows (scrollback and screen), one string per line with
 * wrapped lines joined, trailing blank lines dropped: what a user reads, for
 * diagnostics and tests (the terminal draws on a canvas, not in the DOM).
 */
export function terminalBufferText(term: Terminal): string {
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
        const line = buffer.getLine(i);
        if (!line) {
            continue;
        }
        const text = line.translateToString(true);
        if (line.isWrapped && lines.length > 0) {
            lines[lines.length - 1] += text;
        } else {
            lines.push(text);
        }
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') {
        lines.pop();
    }
    return lines.join('\n');
}
