import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type * as monaco from '@theia/monaco-editor-core';
import { showLeaderView } from './editor-view';
import { watchFollowerInput } from './follower-input';
import { parseLeaderLocation, type LeaderLocation } from './leader-location';

export interface FollowerOptions {
    readonly session: CollaborationSession;
    /** The peer this window follows now, if any. */
    readonly leader: () => string | undefined;
    /** Brings the leader's file to front here; resolves with its editor (undefined when it cannot be shown). */
    readonly open: (location: LeaderLocation) => Promise<monaco.editor.ICodeEditor | undefined>;
    /** The user acted in the followed editor: following ends. */
    readonly stop: () => void;
}

/**
 * The follower's side of follow mode, without the workbench: whenever the
 * leader's status names another place (file, caret line or first visible
 * line), the leader's file comes to front here showing the same lines; a
 * key, click or scroll of the user's own in that editor stops it.
 */
export class Follower implements Disposable {
    private readonly toDispose = new DisposableCollection();
    private readonly input = new DisposableCollection();
    private watched: monaco.editor.ICodeEditor | undefined;
    /** The place shown last, to skip status changes that do not move the leader (other keys, renewals). */
    private last: string | undefined;
    /** Counts moves: an open that resolves after a newer one started must not move the editor back. */
    private generation = 0;

    constructor(private readonly options: FollowerOptions) {
        this.toDispose.push(this.input);
        this.toDispose.push(options.session.onStatusChanged(entry => {
            if (entry.peerId === options.leader()) {
                void this.go();
            }
        }));
    }

    /** Following started or changed to another peer: go to where it is now. */
    start(): Promise<void> {
        this.last = undefined;
        return this.go();
    }

    /** Following ended. */
    end(): void {
        this.last = undefined;
        this.generation++;
        this.watch(undefined);
    }

    /** Watches the user's input in the editor in front (the followed one). */
    watch(editor: monaco.editor.ICodeEditor | undefined): void {
        if (editor === this.watched) {
            return;
        }
        this.input.dispose();
        if (editor && this.options.leader() !== undefined) {
            this.watched = editor;
            this.input.push(watchFollowerInput(editor, () => this.options.stop()));
            this.input.push(Disposable.create(() => { this.watched = undefined; }));
        }
    }

    dispose(): void {
        this.generation++;
        this.toDispose.dispose();
    }

    private async go(): Promise<void> {
        const leader = this.options.leader();
        const location = leader ? parseLeaderLocation(this.options.session.statuses.get(leader)?.status) : undefined;
        if (!location) {
            return;
        }
        const where = JSON.stringify([location.target.root, location.target.path, location.line, location.topLine]);
        if (where === this.last) {
            return;
        }
        this.last = where;
        const mine = ++this.generation;
        let editor: monaco.editor.ICodeEditor | undefined;
        try {
            editor = await this.options.open(location);
        } catch {
            editor = undefined;
        }
        if (mine !== this.generation || this.options.leader() !== leader) {
            return;
        }
        if (!editor) {
            this.last = undefined; // the leader's file cannot be shown here (not shared any more): try again on its next move
            return;
        }
        showLeaderView(editor, location);
        this.watch(editor);
    }
}
