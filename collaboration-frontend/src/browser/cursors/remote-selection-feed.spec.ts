import * as assert from 'node:assert/strict';
import '@theia/core/shared/reflect-metadata';
import { loadMonaco } from '../editor-sync/test/load-monaco';
import type * as Monaco from '@theia/monaco-editor-core';
import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually, hostRoom, joinAs, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { documentKey } from '../editor-sync/document-key';
import { EditorSyncMetrics } from '../editor-sync/editor-sync-metrics';
import { GuestDocuments } from '../editor-sync/guest/guest-documents';
import type { GuestDocument } from '../editor-sync/guest/guest-document';
import { registerHostEditorHandlers, type HostEditorHandlers } from '../editor-sync/host/host-editor-handlers';
import { changesToOp, rangeOf } from '../editor-sync/model-edits';
import { FakeEditor } from '../editor-sync/test/fake-editor';
import type { TextModel } from '../editor-sync/text-model';
import { RemoteSelectionFeed } from './remote-selection-feed';
import { selectionsAtRevision } from './remote-selections';
import { SelectionChanged, type OffsetSelection } from './selection-messages';
import { authorityOpsSince } from './authority-ops';

/**
 * Remote selections placed in the receiver's text, end to end without a
 * browser: the host's authority over a real Monaco model, guests' OT clients
 * on real Monaco models, real selection broadcasts through a real
 * coordination server, and the feed CursorSession draws from.
 */
describe('remote selections through a real session: placed on the text the sender meant', function () {
    this.timeout(120_000);
    const PATH = 'a.txt';
    const KEY = documentKey({ root: 'ws', path: PATH });
    let monaco: typeof Monaco;
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let handlers: HostEditorHandlers;
    let hostModel: TextModel;
    let uriCounter = 0;
    const toDispose = new DisposableCollection();
    /** How many selection broadcasts each guest's session received (to know one arrived when it shows nothing). */
    const guestSawSelections = new Map<CollaborationSession, number>();

    before(async () => {
        monaco = await loadMonaco();
        server = await startTestServer();
    });
    after(() => server.close());

    beforeEach(async () => {
        room = await hostRoom(server.url, 'Hana');
        hostModel = monaco.editor.createModel('alpha beta\ngamma target delta\nlast line\n', 'plaintext', monaco.Uri.parse(`file:///ws${++uriCounter}/${PATH}`));
        const hostEditor = new FakeEditor(monaco, hostModel);
        handlers = registerHostEditorHandlers(room.host, {
            acquire: async target => {
                if (target.path !== PATH) {
                    throw new Error(`${target.path} is not shared`);
                }
                return { model: hostModel, editors: () => [hostEditor], save: async () => undefined, release: () => undefined };
            }
        }, { checksumDelayMs: 50 });
        toDispose.push(handlers);
    });
    afterEach(() => {
        toDispose.dispose();
        room.host.dispose();
        monaco.editor.getModels().forEach(model => model.dispose());
    });

    interface Guest {
        readonly session: CollaborationSession;
        readonly document: GuestDocument;
        readonly model: TextModel;
        readonly feed: RemoteSelectionFeed;
    }

    /** Reports every edit of a model to a feed, as CursorSession does for the models of its editors. */
    function feedEdits(model: TextModel, feed: RemoteSelectionFeed): void {
        toDispose.push(model.onDidChangeContent(event => {
            const delta = event.changes.reduce((sum, change) => sum + change.text.length - change.rangeLength, 0);
            feed.applyEdit(KEY, changesToOp(event.changes, model.getValueLength() - delta));
        }));
    }

    /** A guest joins, opens the file into a real model and places the others' selections in it. */
    async function guestWithDocument(name: string): Promise<Guest> {
        const metrics = new EditorSyncMetrics();
        let documents: GuestDocuments | undefined;
        const session = await joinAs(server.url, room, name, 'read-write', guest => { documents = new GuestDocuments(guest, metrics); });
        toDispose.push(documents!);
        toDispose.push({ dispose: () => session.dispose() });
        // Before the document opens, as in the app (the cursors contribution starts with the session): no broadcast is missed.
        let opened: { document: GuestDocument; model: TextModel } | undefined;
        const feed = new RemoteSelectionFeed({
            session, isHost: false,
            place: doc => opened && doc === KEY ? { revision: opened.document.revision, pending: opened.document.pending, length: opened.model.getValueLength() } : undefined,
            hostOpsSince: () => undefined
        });
        toDispose.push(feed);
        toDispose.push(session.onBroadcast(SelectionChanged, () => guestSawSelections.set(session, (guestSawSelections.get(session) ?? 0) + 1)));
        const { document, text } = await documents!.open({ root: 'ws', path: PATH });
        const model = monaco.editor.createModel(text, 'plaintext', monaco.Uri.parse(`ensemble://room${++uriCounter}/ws/${PATH}`));
        const editor = new FakeEditor(monaco, model);
        toDispose.push(document.attach({ model, applyRemote: edits => model.applyEdits(edits), editors: () => [editor] }));
        opened = { document, model };
        feedEdits(model, feed);
        return { session, document, model, feed };
    }

    /** The host's own feed: it reads the operations since a revision from its authority. */
    async function hostFeed(): Promise<RemoteSelectionFeed> {
        const feed = new RemoteSelectionFeed({
            session: room.host, isHost: true,
            place: doc => {
                const document = handlers.documents.get(doc);
                return document && { revision: document.revision, length: hostModel.getValueLength() };
            },
            hostOpsSince: (doc, revision) => {
                const authority = handlers.documents.get(doc)?.authority;
                return authority && authorityOpsSince(authority, revision);
            }
        });
        toDispose.push(feed);
        await room.host.subscribe(KEY); // the host hears selections on a document's topic, as CursorSession subscribes it
        feedEdits(hostModel, feed);
        return feed;
    }

    /** An edit as the editor makes it when the user types. */
    function type(model: TextModel, offset: number, deleteCount: number, text: string): void {
        model.pushEditOperations([], [{ range: rangeOf(model, offset, offset + deleteCount), text }], () => null);
    }

    function hostRevision(): number {
        return handlers.documents.get(KEY)!.revision;
    }

    /** The text a peer's first selection covers in `model`, as that window holds it. */
    function selectedText(feed: RemoteSelectionFeed, peerId: string, model: TextModel): string | undefined {
        const selection: OffsetSelection | undefined = feed.selections.get(KEY).find(entry => entry.peerId === peerId)?.selections[0];
        return selection && model.getValue().slice(Math.min(selection.anchor, selection.head), Math.max(selection.anchor, selection.head));
    }

    it('places the host\'s selection on the same text on a guest whose own edits are not acknowledged yet', async () => {
        const ana = await guestWithDocument('Ana');
        // Offline for its edits: they stay pending (the host's operations still arrive and are transformed past them).
        ana.document.suspend();
        type(ana.model, 0, 0, 'PENDING ');
        type(ana.model, ana.model.getValue().indexOf('beta'), 4, 'B');
        type(ana.model, ana.model.getValue().indexOf('last'), 0, 'after ');
        assert.ok(ana.document.pending, 'the guest has unacknowledged edits');
        // The host edits concurrently, before the selection.
        type(hostModel, hostModel.getValue().indexOf('gamma'), 0, 'HOST ');
        await eventually(() => ana.document.revision === hostRevision(), 'the guest has the host\'s edit', 20_000);

        const at = hostModel.getValue().indexOf('target');
        room.host.publish(KEY, SelectionChanged, { doc: KEY, revision: hostRevision(), selections: [{ anchor: at, head: at + 'target'.length }] });
        const hostPeer = room.host.peerId!;
        await eventually(() => selectedText(ana.feed, hostPeer, ana.model) !== undefined, 'the guest holds the host\'s selection', 20_000);
        assert.equal(selectedText(ana.feed, hostPeer, ana.model), 'target', `in ${JSON.stringify(ana.model.getValue())}`);

        // Back online: the host gets the pending edits; the selection stays on the same text in the guest's window.
        await ana.document.catchUp(false, 'back online (test)');
        await eventually(() => ana.document.state === 'synchronized' && ana.model.getValue() === hostModel.getValue(), 'the guest and the host agree', 20_000);
        assert.equal(hostModel.getValue(), 'PENDING alpha B\nHOST gamma target delta\nafter last line\n');
        assert.equal(selectedText(ana.feed, hostPeer, ana.model), 'target');
    });

    it('places the selection of a guest that keeps typing (edits unacknowledged) on the text it means, for the host and another guest', async () => {
        const ana = await guestWithDocument('Ana');
        const ben = await guestWithDocument('Ben');
        const host = await hostFeed();
        // Ana's edits stay unacknowledged, as while she types without pause on a slow link.
        ana.document.suspend();
        type(ana.model, 0, 0, 'typed ');
        type(ana.model, ana.model.getValue().indexOf('beta'), 4, 'B');
        assert.ok(ana.document.pending, 'Ana has unacknowledged edits');
        const anaText = ana.model.getValue();
        const word = anaText.indexOf('target');
        const caret = 'typed '.length; // just after the text she typed last
        const selections = selectionsAtRevision([{ anchor: word, head: word + 'target'.length }, { anchor: caret, head: caret }], ana.document.pending);
        ana.session.publish(KEY, SelectionChanged, { doc: KEY, revision: ana.document.revision, selections });

        const anaPeer = ana.session.peerId!;
        await eventually(() => selectedText(host, anaPeer, hostModel) !== undefined && selectedText(ben.feed, anaPeer, ben.model) !== undefined,
            'the host and Ben hold Ana\'s selection', 20_000);
        assert.equal(selectedText(host, anaPeer, hostModel), 'target', 'exact outside her unacknowledged edits');
        assert.equal(selectedText(ben.feed, anaPeer, ben.model), 'target');
        const caretOnHost = host.selections.get(KEY).find(entry => entry.peerId === anaPeer)!.selections[1];
        assert.deepEqual(caretOnHost, { anchor: 0, head: 0 }, 'inside text the others do not have yet: where that text goes');

        // Her edits arrive: the word selection stays on the word everywhere.
        await ana.document.catchUp(false, 'back online (test)');
        await eventually(() => ana.document.state === 'synchronized' && ben.model.getValue() === ana.model.getValue() && hostModel.getValue() === ana.model.getValue(),
            'everyone agrees', 20_000);
        assert.equal(selectedText(host, anaPeer, hostModel), 'target');
        assert.equal(selectedText(ben.feed, anaPeer, ben.model), 'target');
    });

    it('moves a selection sent at an older revision over the operations applied since, on a guest and on the host', async () => {
        const ana = await guestWithDocument('Ana');
        const ben = await guestWithDocument('Ben');
        const host = await hostFeed();
        const sentAt = ben.document.revision;
        const benText = ben.model.getValue();
        const at = benText.indexOf('delta');
        // Two edits reach everyone before Ben's selection does (it was on the way, e.g. on a slow link).
        type(hostModel, 0, 0, 'first\n');
        type(ana.model, ana.model.getValue().indexOf('gamma'), 'gamma '.length, '');
        await eventually(() => ana.document.state === 'synchronized' && ana.document.revision === hostRevision() && ana.model.getValue() === hostModel.getValue(),
            'Ana and the host agree', 20_000);
        assert.equal(hostRevision(), sentAt + 2);

        ben.session.publish(KEY, SelectionChanged, { doc: KEY, revision: sentAt, selections: [{ anchor: at, head: at + 'delta'.length }] });
        const benPeer = ben.session.peerId!;
        await eventually(() => selectedText(ana.feed, benPeer, ana.model) !== undefined && selectedText(host, benPeer, hostModel) !== undefined,
            'Ana and the host hold Ben\'s selection', 20_000);
        assert.equal(selectedText(ana.feed, benPeer, ana.model), 'delta');
        assert.equal(selectedText(host, benPeer, hostModel), 'delta');

        // The host keeps it on the same text as more edits come in.
        type(hostModel, hostModel.getValue().indexOf('target'), 0, 'new ');
        assert.equal(selectedText(host, benPeer, hostModel), 'delta');
        await eventually(() => ana.model.getValue() === hostModel.getValue(), 'Ana has the host\'s edit', 20_000);
        assert.equal(selectedText(ana.feed, benPeer, ana.model), 'delta');
    });

    it('holds a selection from a sender ahead of the receiver until the receiver has the operations in between', async () => {
        const ana = await guestWithDocument('Ana');
        const ben = await guestWithDocument('Ben');
        const now = hostRevision();
        // Ben's selection refers to the text after the host's next edit, and reaches Ana before that edit does.
        const after = 'NEW ' + hostModel.getValue();
        const at = after.indexOf('target');
        ben.session.publish(KEY, SelectionChanged, { doc: KEY, revision: now + 1, selections: [{ anchor: at, head: at + 'target'.length }] });
        const benPeer = ben.session.peerId!;
        await eventually(() => (guestSawSelections.get(ana.session) ?? 0) > 0, 'Ana received Ben\'s selection', 20_000);
        assert.equal(selectedText(ana.feed, benPeer, ana.model), undefined, 'not shown while Ana is behind');

        type(hostModel, 0, 0, 'NEW ');
        assert.equal(hostModel.getValue(), after);
        await eventually(() => selectedText(ana.feed, benPeer, ana.model) !== undefined, 'Ana shows Ben\'s selection once she has the edit', 20_000);
        assert.equal(selectedText(ana.feed, benPeer, ana.model), 'target');
    });

    it('removes a peer\'s selections when it leaves the session', async () => {
        const ana = await guestWithDocument('Ana');
        const ben = await guestWithDocument('Ben');
        ben.session.publish(KEY, SelectionChanged, { doc: KEY, revision: ben.document.revision, selections: [{ anchor: 1, head: 3 }] });
        const benPeer = ben.session.peerId!;
        await eventually(() => selectedText(ana.feed, benPeer, ana.model) === 'lp', 'Ana holds Ben\'s selection', 20_000);
        ben.session.dispose();
        await eventually(() => ana.feed.selections.get(KEY).length === 0, 'Ben\'s selection is gone', 20_000);
    });
});
