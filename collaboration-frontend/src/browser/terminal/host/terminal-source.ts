import type { Event } from '@theia/core/lib/common/event';

/**
 * One of the host's terminals as terminal sharing sees it: its output as it
 * is drawn, its size and title, and a way to type into it. The Theia terminal
 * widget is adapted to it in widget-terminal-source.ts; tests use a
 * headless one.
 */
export interface TerminalSource {
    readonly title: string;
    readonly cols: number;
    readonly rows: number;
    /** Output from the terminal's process, in order, as it is written to the terminal. */
    readonly onOutput: Event<string>;
    readonly onResize: Event<{ readonly cols: number; readonly rows: number }>;
    readonly onTitleChanged: Event<string>;
    /** The terminal was closed (its process ended or the user closed it). */
    readonly onClosed: Event<void>;
    /**
     * The terminal's screen and recent scrollback as escape sequences that
     * redraw it (colours included), with exactly the output written before
     * this call: output reported by `onOutput` after the call is not in it.
     */
    serialize(scrollbackLines: number): Promise<string>;
    /** Writes to the terminal's process as if typed. */
    sendInput(data: string): void;
}
