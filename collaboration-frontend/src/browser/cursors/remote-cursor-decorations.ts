import * as monaco from '@theia/monaco-editor-core';
import type { RemoteSelectionEntry } from './remote-selections';

/** How long a peer's name shows next to its caret after it moved (ms); on hover it shows any time. */
export const LABEL_VISIBLE_MS = 2000;

/** What is shown of a peer: its name and the class suffix of its (validated) colour. */
export interface PeerLook {
    readonly name: string;
    readonly colorSuffix: string;
}

/**
 * The remote carets and selections in one code editor: one decorations
 * collection for all of them, and one name label (a content widget, its
 * text set through textContent, so a name is never markup) per peer that
 * moved within LABEL_VISIBLE_MS.
 */
export class RemoteCursorDecorations {
    private readonly decorations: monaco.editor.IEditorDecorationsCollection;
    private readonly labels = new Map<string, LabelWidget>();

    constructor(readonly editor: monaco.editor.ICodeEditor) {
        this.decorations = editor.createDecorationsCollection();
    }

    render(entries: readonly RemoteSelectionEntry[], look: (peerId: string) => PeerLook | undefined, now: number): void {
        const model = this.editor.getModel();
        if (!model) {
            this.clear();
            return;
        }
        const decorations: monaco.editor.IModelDeltaDecoration[] = [];
        const labelled = new Set<string>();
        for (const entry of entries) {
            const peer = look(entry.peerId);
            if (!peer) {
                continue;
            }
            const hoverMessage = { value: escapeMarkdown(peer.name) };
            entry.selections.forEach((selection, index) => {
                const head = model.getPositionAt(selection.head);
                if (selection.anchor !== selection.head) {
                    const anchor = model.getPositionAt(selection.anchor);
                    decorations.push({
                        range: monaco.Range.fromPositions(anchor, head),
                        options: { className: `ensemble-selection ensemble-selection-${peer.colorSuffix}`, hoverMessage, stickiness: 1 }
                    });
                }
                decorations.push({
                    range: monaco.Range.fromPositions(head, head),
                    options: { beforeContentClassName: `ensemble-caret ensemble-caret-${peer.colorSuffix}`, hoverMessage, stickiness: 1 }
                });
                if (index === 0 && now - entry.movedAt < LABEL_VISIBLE_MS) {
                    labelled.add(entry.peerId);
                    this.label(entry.peerId, peer).place(head);
                }
            });
        }
        this.decorations.set(decorations);
        for (const [peerId, label] of this.labels) {
            if (!labelled.has(peerId)) {
                label.dispose();
                this.labels.delete(peerId);
            }
        }
    }

    clear(): void {
        this.decorations.clear();
        this.labels.forEach(label => label.dispose());
        this.labels.clear();
    }

    dispose(): void {
        this.clear();
    }

    private label(peerId: string, peer: PeerLook): LabelWidget {
        let label = this.labels.get(peerId);
        if (!label) {
            label = new LabelWidget(this.editor, `ensemble.label.${this.labels.size}.${Math.random().toString(36).slice(2)}`);
            this.labels.set(peerId, label);
        }
        label.update(peer);
        return label;
    }
}

class LabelWidget implements monaco.editor.IContentWidget {
    private readonly node: HTMLElement;
    private position: monaco.IPosition = { lineNumber: 1, column: 1 };
    private added = false;

    readonly allowEditorOverflow = false;

    constructor(private readonly editor: monaco.editor.ICodeEditor, private readonly id: string) {
        this.node = document.createElement('div');
    }

    update(peer: PeerLook): void {
        this.node.className = `ensemble-label ensemble-label-${peer.colorSuffix}`;
        this.node.textContent = peer.name;
    }

    place(position: monaco.IPosition): void {
        this.position = position;
        if (this.added) {
            this.editor.layoutContentWidget(this);
        } else {
            this.editor.addContentWidget(this);
            this.added = true;
        }
    }

    getId(): string {
        return this.id;
    }

    getDomNode(): HTMLElement {
        return this.node;
    }

    getPosition(): monaco.editor.IContentWidgetPosition {
        return {
            position: this.position,
            preference: [monaco.editor.ContentWidgetPositionPreference.ABOVE, monaco.editor.ContentWidgetPositionPreference.BELOW]
        };
    }

    dispose(): void {
        if (this.added) {
            this.editor.removeContentWidget(this);
            this.added = false;
        }
    }
}

/** A peer's name as plain text in a markdown hover. */
export function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_{}[\]()#+\-.!<>|~&]/g, c => `\\${c}`);
}
