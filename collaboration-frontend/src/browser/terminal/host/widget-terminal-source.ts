import { Disposable } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import type { TerminalWidget } from '@theia/terminal/lib/browser/base/terminal-widget';
import type { Terminal } from 'xterm';
import { SerializeAddon } from 'xterm-addon-serialize';
import type { TerminalSource } from './terminal-source';

/** TerminalWidgetImpl has its xterm; the abstract TerminalWidget does not promise one. */
interface WithXterm {
    getTerminal(): Terminal;
}

function hasXterm(widget: TerminalWidget): widget is TerminalWidget & WithXterm {
    return typeof (widget as Partial<WithXterm>).getTerminal === 'function';
}

/**
 * One of the host's Theia terminals as a TerminalSource. Its output comes
 * from the widget's `onOutput` (fired once xterm has parsed it), and the
 * screen copied when sharing starts from the widget's own xterm, so a
 * terminal shared long after it was opened still shows its history.
 */
export class WidgetTerminalSource implements TerminalSource, Disposable {
    private serializer: SerializeAddon | undefined;
    private readonly closedEmitter = new Emitter<void>();
    private readonly toDispose: Disposable[] = [this.closedEmitter];

    readonly onOutput: Event<string>;
    readonly onResize: Event<{ readonly cols: number; readonly rows: number }>;
    readonly onTitleChanged: Event<string>;
    readonly onClosed: Event<void> = this.closedEmitter.event;

    constructor(readonly widget: TerminalWidget) {
        this.onOutput = widget.onOutput;
        this.onResize = widget.onSizeChanged;
        this.onTitleChanged = listener => {
            const handler = (): void => listener(widget.title.label);
            widget.title.changed.connect(handler);
            return Disposable.create(() => widget.title.changed.disconnect(handler));
        };
        // Closed by the user, or its process ended: either way there is nothing more to watch.
        this.toDispose.push(widget.onTerminalDidClose(() => this.closedEmitter.fire()));
        this.toDispose.push(widget.onDidDispose(() => this.closedEmitter.fire()));
    }

    get title(): string {
        return this.widget.title.label || 'Terminal';
    }

    get cols(): number {
        return this.widget.dimensions.cols;
    }

    get rows(): number {
        return this.widget.dimensions.rows;
    }

    serialize(scrollbackLines: number): string {
        if (!hasXterm(this.widget)) {
            return '';
        }
        if (!this.serializer) {
            this.serializer = new SerializeAddon();
            this.widget.getTerminal().loadAddon(this.serializer);
            this.toDispose.push(this.serializer);
        }
        return this.serializer.serialize({ scrollback: scrollbackLines });
    }

    sendInput(data: string): void {
        this.widget.sendText(data);
    }

    dispose(): void {
        this.toDispose.splice(0).forEach(item => item.dispose());
    }
}
