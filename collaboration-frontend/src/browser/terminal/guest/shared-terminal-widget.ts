import { BaseWidget, type Message } from '@theia/core/lib/browser/widgets/widget';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import type { ITheme } from 'xterm';
import { Terminal } from 'xterm';
import type { SharedTerminalInfo } from '../terminal-messages';
import { terminalBufferText } from '../terminal-buffer-text';
import type { TerminalSink } from './shared-terminal-stream';

export const SHARED_TERMINAL_WIDGET_ID_PREFIX = 'ensemble-shared-terminal:';

export interface SharedTerminalWidgetOptions {
    readonly info: SharedTerminalInfo;
    readonly hostName: string;
    readonly theme: ITheme;
    /** Keystrokes typed into the view (sent only while the guest may type). */
    readonly onInput: (data: string) => void;
    /** A key was pressed in the view while the guest may not type (xterm then swallows it silently). */
    readonly onBlockedTyping: () => void;
}

/**
 * A guest's view of one of the host's terminals: an xterm at the host
 * terminal's size (so lines wrap exactly as on the host; the view scrolls
 * when it is smaller), showing the replayed scrollback and then the live
 * output. It takes keystrokes only while the guest may type.
 */
export class SharedTerminalWidget extends BaseWidget implements TerminalSink {
    readonly term: Terminal;
    private info: SharedTerminalInfo;
    private canType = false;
    private opened = false;

    constructor(private readonly options: SharedTerminalWidgetOptions) {
        super();
        this.info = options.info;
        this.id = SHARED_TERMINAL_WIDGET_ID_PREFIX + options.info.id;
        this.addClass('ensemble-shared-terminal');
        this.node.style.overflow = 'auto';
        this.node.style.padding = '4px';
        this.title.closable = true;
        this.title.iconClass = codicon('terminal');
        this.term = new Terminal({
            cols: options.info.cols,
            rows: options.info.rows,
            scrollback: 5000,
            theme: options.theme,
            fontFamily: 'monospace',
            fontSize: 13,
            disableStdin: true,
            allowProposedApi: true
        });
        this.toDispose.push(this.term);
        this.toDispose.push(this.term.onData(data => {
            if (this.canType) {
                options.onInput(data);
            }
        }));
        const keydown = (event: KeyboardEvent): void => {
            if (!this.canType && event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
                options.onBlockedTyping();
            }
        };
        this.node.addEventListener('keydown', keydown, true);
        this.toDispose.push({ dispose: () => this.node.removeEventListener('keydown', keydown, true) });
        this.update();
    }

    /** The text the view shows (for diagnostics: xterm draws on a canvas). */
    get text(): string {
        return terminalBufferText(this.term);
    }

    get shareId(): string {
        return this.info.id;
    }

    get typingAllowed(): boolean {
        return this.canType;
    }

    /** The terminal's mode or title, or this guest's role, changed. */
    setState(info: SharedTerminalInfo, canType: boolean): void {
        this.info = info;
        this.canType = canType;
        this.term.options.disableStdin = !canType;
        const access = canType ? 'read-write' : 'read-only';
        this.title.label = `${info.title} (host: ${this.options.hostName}, ${access})`;
        this.title.caption = canType
            ? `${this.options.hostName}'s terminal "${info.title}": what you type runs on ${this.options.hostName}'s machine.`
            : `${this.options.hostName}'s terminal "${info.title}": you can watch it; only ${this.options.hostName} can type.`;
    }

    setTheme(theme: ITheme): void {
        this.term.options.theme = theme;
    }

    reset(info: SharedTerminalInfo, scrollback: string): void {
        this.term.reset();
        this.term.resize(info.cols, info.rows);
        this.term.write(scrollback);
    }

    write(data: string): void {
        this.term.write(data);
    }

    resize(cols: number, rows: number): void {
        // After the output drawn at the old size, as on the host.
        this.term.write('', () => this.term.resize(cols, rows));
    }

    protected override onAfterAttach(msg: Message): void {
        super.onAfterAttach(msg);
        if (!this.opened) {
            this.opened = true;
            this.term.open(this.node);
        }
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.term.focus();
        if (!this.term.element) {
            this.node.focus();
        }
    }
}
