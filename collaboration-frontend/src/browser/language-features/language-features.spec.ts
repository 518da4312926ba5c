import * as assert from 'node:assert/strict';
import '@theia/core/shared/reflect-metadata';
import { loadMonaco } from '../editor-sync/test/load-monaco';
import type * as Monaco from '@theia/monaco-editor-core';
import { defineBroadcast, type CollaborationSession } from '@ensemble/collaboration-common';
import { Type } from '@sinclair/typebox';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually, hostRoom, joinAs, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import { ProblemManager } from '@theia/markers/lib/browser/problem/problem-manager';
import { closeSharedWorkspace, openSharedWorkspace, type SharedWorkspace } from '@ensemble/collaboration-backend/lib/node/workspace/testing/shared-workspace';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { documentKey } from '../editor-sync/document-key';
import { EditorSyncMetrics } from '../editor-sync/editor-sync-metrics';
import { GuestDocuments } from '../editor-sync/guest/guest-documents';
import { registerHostEditorHandlers, type HostEditorHandlers } from '../editor-sync/host/host-editor-handlers';
import type { TextModel } from '../editor-sync/text-model';
import { FakeEditor } from '../editor-sync/test/fake-editor';
import { roomAuthority, toEnsembleUri } from '../workspace/ensemble-uri';
import { registerGuestLanguageProviders, type GuestLanguageOptions } from './guest/guest-language-providers';
import { HOST_MARKERS_OWNER, showHostMarkers } from './guest/guest-markers';
import { registerHostLanguageHandlers } from './host/host-language-handlers';
import type { LanguageProviderRegistries } from './host/host-language-providers';
import { relayHostMarkers } from './host/host-markers-relay';
import { ApplyCodeActionRequest, HoverRequest, MarkersChanged, RenameRequest, type EditAnswer } from './language-messages';

/**
 * Shared language features without a browser: the host's real Monaco
 * provider registries and models, guests' forwarding providers registered
 * in the same (real) Monaco, editor sync's real OT documents, all through a
 * real coordination server. Host files are `file:///ws/<path>`, the shared
 * folder `ws`; guests' models are `ensemble://<room>/ws/<path>`.
 */
describe('language features: guest providers ↔ coordination server ↔ host providers', function () {
    this.timeout(60_000);
    const LANGUAGE = 'ensemble-unit-test';
    let monaco: typeof Monaco;
    let registries: LanguageProviderRegistries;
    let commands: { executeCommand(id: string, ...args: unknown[]): Promise<unknown> };
    let hostCommands: [string, readonly unknown[]][];
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let editorHandlers: HostEditorHandlers;
    let hostModels: Map<string, TextModel>;
    let saves: string[];
    /** The host backend's real workspace service over a temp folder (shared as `ws`, `.env` excluded): it says which files a guest may edit. */
    let workspace: SharedWorkspace;
    const toDispose = new DisposableCollection();
    const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

    before(async () => {
        monaco = await loadMonaco();
        // The same ES modules editor.api loaded: Monaco's own service registry, where monaco.languages.register* puts providers.
        const { StandaloneServices } = await dynamicImport('@theia/monaco-editor-core/esm/vs/editor/standalone/browser/standaloneServices.js') as
            { StandaloneServices: { get(id: unknown): unknown } };
        const { ILanguageFeaturesService } = await dynamicImport('@theia/monaco-editor-core/esm/vs/editor/common/services/languageFeatures.js');
        registries = StandaloneServices.get(ILanguageFeaturesService) as LanguageProviderRegistries;
        const { ICommandService } = await dynamicImport('@theia/monaco-editor-core/esm/vs/platform/commands/common/commands.js');
        commands = StandaloneServices.get(ICommandService) as typeof commands;
        monaco.languages.register({ id: LANGUAGE });
        server = await startTestServer();
        workspace = await openSharedWorkspace(['**/.env']);
    });
    after(async () => {
        await server.close();
        await closeSharedWorkspace(workspace);
    });

    beforeEach(async () => {
        hostModels = new Map();
        saves = [];
        hostCommands = [];
        room = await hostRoom(server.url, 'Hana');
        editorHandlers = registerHostEditorHandlers(room.host, {
            acquire: async target => {
                const model = hostModels.get(target.path);
                if (!model) {
                    throw new Error(`${target.path} is not shared`);
                }
                return { model, editors: () => [], save: async () => undefined, release: () => undefined };
            }
        });
        toDispose.push(editorHandlers);
        toDispose.push(registerHostLanguageHandlers(room.host, {
            registries,
            acquire: async target => {
                const model = hostModels.get(target.path);
                if (!model || target.root !== 'ws') {
                    throw new Error(`${target.path} is not shared`);
                }
                return { model, release: () => undefined };
            },
            revisions: target => editorHandlers.documents.get(documentKey(target))?.authority,
            toShared: uri => uri.scheme === 'file' && uri.path.startsWith('/ws/') ? { root: 'ws', path: uri.path.slice('/ws/'.length) } : undefined,
            fileRefusal: async (target, peerId) => {
                const role = room.host.peers.get(peerId)?.role;
                if (role !== 'read-write' && role !== 'read-only') {
                    return 'not a participant';
                }
                const stat = await workspace.service.stat({ peerId, role }, target);
                return stat.ok ? undefined : stat.error.message;
            },
            openForEdit: async uri => {
                const model = hostModels.get(uri.path.slice('/ws/'.length));
                assert.ok(model, `a host model for ${uri.toString()}`);
                return { model, dirty: false, save: async () => { saves.push(uri.path); }, release: () => undefined };
            },
            executeCommand: async (id, args) => { hostCommands.push([id, args]); },
            timeoutMs: 10_000
        }));
    });
    afterEach(() => {
        toDispose.dispose();
        room.host.dispose();
        monaco.editor.getModels().forEach(model => model.dispose());
    });

    /** A host file: on the host backend's disk and as the host's model. */
    function hostFile(relative: string, text: string): TextModel {
        writeFileSync(path.join(workspace.temp.ws, relative), text);
        const model = monaco.editor.createModel(text, LANGUAGE, monaco.Uri.parse(`file:///ws/${relative}`));
        hostModels.set(relative, model);
        return model;
    }

    /** Registers a host provider for the test language (undone after the test). */
    function onHost(register: (selector: Monaco.languages.LanguageSelector) => Monaco.IDisposable): void {
        toDispose.push(register({ language: LANGUAGE, scheme: 'file' }));
    }

    interface Guest {
        readonly session: CollaborationSession;
        readonly documents: GuestDocuments;
    }

    async function joinGuest(name: string, role: 'read-write' | 'read-only' = 'read-write',
        providers: Partial<Pick<GuestLanguageOptions, 'timeoutsMs' | 'notify'>> | false = {}): Promise<Guest> {
        let documents: GuestDocuments | undefined;
        const session = await joinAs(server.url, room, name, role, guest => {
            documents = new GuestDocuments(guest, new EditorSyncMetrics());
            if (providers) {
                toDispose.push(registerGuestLanguageProviders({ session: guest, monaco, document: target => documents!.get(target), ...providers }));
            }
        });
        toDispose.push(documents!);
        toDispose.push({ dispose: () => session.dispose() });
        await eventually(() => room.host.peers.has(session.peerId!), 'the host sees the guest');
        return { session, documents: documents! };
    }

    /** A rename request as a guest's code could send it, whatever its own editor would allow: the host must decide. */
    async function renameRequest(guest: Guest, path: string, offset: number, newName: string): Promise<EditAnswer> {
        const document = (await guest.documents.open({ root: 'ws', path })).document;
        return guest.session.sendRequest(RenameRequest, { position: { target: { root: 'ws', path }, revision: document.revision, offset }, newName }, { type: 'host' });
    }

    /** Opens a host file on a guest as its editor does: the guest's model, bound to the shared document. */
    async function openIn(guest: Guest, path: string): Promise<TextModel> {
        const { document, text } = await guest.documents.open({ root: 'ws', path });
        const model = monaco.editor.createModel(text, 'plaintext', monaco.Uri.parse(`ensemble://${roomAuthority(room.roomId)}/ws/${path}`));
        const editor = new FakeEditor(monaco, model);
        toDispose.push(document.attach({ model, applyRemote: edits => model.applyEdits(edits), editors: () => [editor] }));
        return model;
    }

    /** The guest's forwarding provider of a kind for its model (registered for the `ensemble:` scheme). */
    function guestProvider<T>(registry: { ordered(model: TextModel): T[] }, model: TextModel): T {
        const [provider] = registry.ordered(model);
        assert.ok(provider, `a guest provider for ${model.uri.toString()}`);
        return provider;
    }

    const token = (): Monaco.CancellationToken => new monaco.CancellationTokenSource().token;

    function positionOf(model: TextModel, text: string, delta = 1): Monaco.Position {
        const offset = model.getValue().indexOf(text);
        assert.ok(offset >= 0, `"${text}" in the model`);
        return model.getPositionAt(offset + delta);
    }

    const wordHover: Monaco.languages.HoverProvider = {
        provideHover: (model, position) => {
            const word = model.getWordAtPosition(position);
            return word ? {
                contents: [{ value: `host hover: ${word.word} at line ${position.lineNumber}` }],
                range: { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: word.endColumn }
            } : undefined;
        }
    };

    async function hoverOn(model: TextModel, position: Monaco.Position, cancel = token()): Promise<{ text: string[]; range: string | undefined } | undefined> {
        const hover = await guestProvider(registries.hoverProvider, model).provideHover(model, position, cancel) as Monaco.languages.Hover | undefined;
        return hover && {
            text: hover.contents.map(content => content.value),
            range: hover.range && model.getValueInRange(hover.range)
        };
    }

    it('shows the host\'s hover and completion items (resolved on the host) on a guest', async () => {
        hostFile('a.txt', 'alpha beta gamma\nsecond line\n');
        const resolvedOnHost: string[] = [];
        onHost(selector => monaco.languages.registerHoverProvider(selector, wordHover));
        onHost(selector => monaco.languages.registerCompletionItemProvider(selector, {
            provideCompletionItems: (model, position) => {
                const word = model.getWordUntilPosition(position);
                const range = { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: position.column };
                return { suggestions: ['hostAlpha', 'hostBeta'].map(label => ({ label, kind: monaco.languages.CompletionItemKind.Function, insertText: label, detail: 'host', range })) };
            },
            resolveCompletionItem: item => {
                resolvedOnHost.push(String(item.label));
                return { ...item, documentation: { value: `**resolved** ${String(item.label)}` } };
            }
        }));
        const ana = await joinGuest('Ana');
        const model = await openIn(ana, 'a.txt');

        assert.deepEqual(await hoverOn(model, positionOf(model, 'beta')), { text: ['host hover: beta at line 1'], range: 'beta' });
        assert.equal(await hoverOn(model, positionOf(model, 'line')).then(hover => hover?.text[0]), 'host hover: line at line 2');

        const completion = guestProvider(registries.completionProvider, model);
        const at = positionOf(model, 'gamma', 2); // after "ga"
        const list = await completion.provideCompletionItems(model, at, { triggerKind: monaco.languages.CompletionTriggerKind.Invoke }, token());
        assert.ok(list);
        assert.deepEqual(list.suggestions.map(item => [item.label, item.detail, item.insertText]), [['hostAlpha', 'host', 'hostAlpha'], ['hostBeta', 'host', 'hostBeta']]);
        // The host's range (the word before the caret), in the guest's text.
        const { insert, replace } = list.suggestions[0].range as { insert: Monaco.IRange; replace: Monaco.IRange };
        assert.deepEqual([model.getValueInRange(insert), model.getValueInRange(replace)], ['ga', 'ga']);
        const resolved = await completion.resolveCompletionItem!(list.suggestions[1], token());
        assert.deepEqual(resolved?.documentation, { value: '**resolved** hostBeta' });
        assert.deepEqual(resolvedOnHost, ['hostBeta']);
    });

    it('asks at the right place while the guest\'s own edits are unacknowledged and the host\'s are not yet received', async () => {
        const host = hostFile('p.txt', 'alpha beta gamma delta');
        onHost(selector => monaco.languages.registerHoverProvider(selector, wordHover));
        const ana = await joinGuest('Ana');
        const model = await openIn(ana, 'p.txt');

        // The guest types and asks at once: its edit is pending when it asks.
        model.pushEditOperations([], [{ range: new monaco.Range(1, 1, 1, 1), text: 'XXXX ' }], () => null);
        assert.ok(ana.documents.get({ root: 'ws', path: 'p.txt' })?.pendingOp, 'the guest\'s edit is unacknowledged');
        assert.deepEqual(await hoverOn(model, positionOf(model, 'beta')), { text: ['host hover: beta at line 1'], range: 'beta' });

        // The host types and the guest asks before that edit reached it.
        await eventually(() => model.getValue() === host.getValue(), 'the guest is in sync');
        host.pushEditOperations([], [{ range: new monaco.Range(1, 1, 1, 1), text: 'YY ' }], () => null);
        const hover = await hoverOn(model, positionOf(model, 'alpha'));
        assert.equal(hover?.text[0], 'host hover: alpha at line 1');
        assert.ok(hover.range === 'alpha' || hover.range === undefined, `a range on the right word or none, got ${hover.range}`);
    });

    it('cancels the host\'s provider when the guest cancels, and times out a host that never answers', async () => {
        hostFile('c.txt', 'slow words here');
        let hostCancelled = 0;
        let started = 0;
        onHost(selector => monaco.languages.registerHoverProvider(selector, {
            provideHover: (_model, _position, hostToken) => new Promise<undefined>(resolve => {
                started++;
                hostToken.onCancellationRequested(() => {
                    hostCancelled++;
                    resolve(undefined);
                });
            })
        }));
        const ana = await joinGuest('Ana', 'read-write', { timeoutsMs: { hover: 2_000 } });
        const model = await openIn(ana, 'c.txt');

        const source = new monaco.CancellationTokenSource();
        const cancelled = hoverOn(model, positionOf(model, 'words'), source.token);
        await eventually(() => started === 1, 'the host runs its provider');
        source.cancel();
        assert.equal(await cancelled, undefined);
        await eventually(() => hostCancelled === 1, 'the host\'s provider is cancelled');

        // Not cancelled by the guest: the guest's time limit ends the wait, and that too cancels the host's work.
        assert.equal(await hoverOn(model, positionOf(model, 'here')), undefined);
        await eventually(() => hostCancelled === 2, 'the host\'s provider is cancelled after the guest\'s time limit');
    });

    it('answers with the providers that work when another fails', async () => {
        hostFile('f.txt', 'one two');
        onHost(selector => monaco.languages.registerCompletionItemProvider(selector, {
            provideCompletionItems: () => { throw new Error('this provider is broken'); }
        }));
        onHost(selector => monaco.languages.registerCompletionItemProvider(selector, {
            provideCompletionItems: (_model, position) => ({
                suggestions: [{ label: 'works', kind: 0, insertText: 'works', range: monaco.Range.fromPositions(position) }]
            })
        }));
        const model = await openIn(await joinGuest('Ana'), 'f.txt');
        const list = await guestProvider(registries.completionProvider, model)
            .provideCompletionItems(model, positionOf(model, 'two'), { triggerKind: 0 }, token());
        assert.deepEqual(list?.suggestions.map(item => item.label), ['works']);
    });

    it('asks only the host\'s providers that registered a typed trigger character', async () => {
        hostFile('t.txt', 'obj.');
        const item = (label: string, position: Monaco.Position) => ({ label, kind: 0, insertText: label, range: monaco.Range.fromPositions(position) });
        onHost(selector => monaco.languages.registerCompletionItemProvider(selector, {
            triggerCharacters: ['.'], provideCompletionItems: (_model, position) => ({ suggestions: [item('member', position)] })
        }));
        onHost(selector => monaco.languages.registerCompletionItemProvider(selector, {
            triggerCharacters: ['<'], provideCompletionItems: (_model, position) => ({ suggestions: [item('tag', position)] })
        }));
        const model = await openIn(await joinGuest('Ana'), 't.txt');
        const end = model.getPositionAt(model.getValueLength());
        const complete = async (context: Monaco.languages.CompletionContext): Promise<string[] | undefined> => {
            const list = await guestProvider(registries.completionProvider, model).provideCompletionItems(model, end, context, token());
            return list?.suggestions.map(suggestion => String(suggestion.label)).sort();
        };
        assert.deepEqual(await complete({ triggerKind: monaco.languages.CompletionTriggerKind.TriggerCharacter, triggerCharacter: '.' }), ['member']);
        assert.deepEqual(await complete({ triggerKind: monaco.languages.CompletionTriggerKind.Invoke }), ['member', 'tag']);
    });

    it('trims a huge answer to fit in a message instead of failing', async () => {
        hostFile('h.txt', 'big');
        onHost(selector => monaco.languages.registerHoverProvider(selector, {
            provideHover: () => ({ contents: Array.from({ length: 30 }, (_, i) => ({ value: `${i}:` + 'x'.repeat(60_000) })) })
        }));
        const model = await openIn(await joinGuest('Ana'), 'h.txt');
        const hover = await hoverOn(model, model.getPositionAt(1));
        assert.ok(hover && hover.text.length > 0 && hover.text.length < 30, `some, not all, of the contents: ${hover?.text.length}`);
        assert.ok(hover.text.every((text, i) => text.startsWith(`${i}:`)), 'the first ones, in order');
    });

    it('maps definitions and references to ensemble: URIs, leaving out places outside the shared folders or excluded; highlights and symbols too', async () => {
        hostFile('d.txt', 'use thing\nuse thing again\n');
        hostFile('lib.txt', 'define thing\n');
        hostFile('.env', 'thing=secret\n');
        const range = { startLineNumber: 1, startColumn: 8, endLineNumber: 1, endColumn: 13 };
        onHost(selector => monaco.languages.registerDefinitionProvider(selector, {
            provideDefinition: () => [
                { uri: monaco.Uri.parse('file:///ws/lib.txt'), range },
                { uri: monaco.Uri.parse('file:///home/hana/secret/other.txt'), range },
                // In a shared folder, but excluded from sharing: not even its path reaches the guest.
                { uri: monaco.Uri.parse('file:///ws/.env'), range }
            ]
        }));
        onHost(selector => monaco.languages.registerReferenceProvider(selector, {
            provideReferences: (model, _position, context) => [
                ...context.includeDeclaration ? [{ uri: monaco.Uri.parse('file:///ws/lib.txt'), range }] : [],
                { uri: model.uri, range: { startLineNumber: 2, startColumn: 5, endLineNumber: 2, endColumn: 10 } }
            ]
        }));
        onHost(selector => monaco.languages.registerDocumentHighlightProvider(selector, {
            provideDocumentHighlights: model => [1, 2].map(line => ({
                range: { startLineNumber: line, startColumn: 5, endLineNumber: line, endColumn: 10 }, kind: monaco.languages.DocumentHighlightKind.Read
            })).filter(() => model.getValue().includes('thing'))
        }));
        onHost(selector => monaco.languages.registerDocumentSymbolProvider(selector, {
            provideDocumentSymbols: () => [{
                name: 'outer', detail: '', kind: monaco.languages.SymbolKind.Class, tags: [], range: { startLineNumber: 1, startColumn: 1, endLineNumber: 2, endColumn: 1 },
                selectionRange: range,
                children: [{ name: 'inner', detail: 'd', kind: monaco.languages.SymbolKind.Method, tags: [], range, selectionRange: range }]
            }]
        }));
        onHost(selector => monaco.languages.registerTypeDefinitionProvider(selector, {
            provideTypeDefinition: () => [{ uri: monaco.Uri.parse('file:///usr/lib/types.d.ts'), range }]
        }));
        const notices: string[] = [];
        const model = await openIn(await joinGuest('Ana', 'read-write', { notify: message => notices.push(message) }), 'd.txt');
        const at = positionOf(model, 'thing');
        const libUri = toEnsembleUri(room.roomId, { root: 'ws', path: 'lib.txt' }).toString();

        const definitions = await guestProvider(registries.definitionProvider, model).provideDefinition(model, at, token()) as Monaco.languages.Location[];
        assert.deepEqual(definitions.map(location => [location.uri.toString(), location.range]), [[monaco.Uri.parse(libUri).toString(), range]]);

        assert.deepEqual(notices, []);
        assert.deepEqual(await guestProvider(registries.typeDefinitionProvider, model).provideTypeDefinition(model, at, token()), []);
        assert.deepEqual(notices, ['The host found it only outside the shared folders, which guests cannot open.']);

        const references = await guestProvider(registries.referenceProvider, model).provideReferences(model, at, { includeDeclaration: false }, token());
        assert.deepEqual(references?.map(location => location.uri.toString()), [model.uri.toString()]);

        const highlights = await guestProvider(registries.documentHighlightProvider, model).provideDocumentHighlights(model, at, token());
        assert.deepEqual(highlights?.map(highlight => model.getValueInRange(highlight.range)), ['thing', 'thing']);

        const symbols = await guestProvider(registries.documentSymbolProvider, model).provideDocumentSymbols(model, token());
        assert.deepEqual(symbols?.map(symbol => [symbol.name, symbol.children?.map(child => child.name)]), [['outer', ['inner']]]);
    });

    it('renames and formats through the host\'s models for a guest who may write, and refuses a read-only guest', async () => {
        const host = hostFile('r.txt', 'let oldName = 1;\nprint(oldName);\n');
        const other = hostFile('s.txt', 'import oldName;\n');
        let renames = 0;
        onHost(selector => monaco.languages.registerRenameProvider(selector, {
            provideRenameEdits: (model, _position, newName) => {
                renames++;
                const edits: Monaco.languages.IWorkspaceTextEdit[] = [];
                for (const target of [model, other]) {
                    for (const match of target.findMatches('oldName', false, false, true, null, false)) {
                        edits.push({ resource: target.uri, textEdit: { range: match.range, text: newName }, versionId: undefined });
                    }
                }
                return { edits };
            }
        }));
        onHost(selector => monaco.languages.registerDocumentFormattingEditProvider(selector, {
            provideDocumentFormattingEdits: model => [{ range: model.getFullModelRange(), text: model.getValue().replace(/ = /g, '=') }]
        }));
        const refusals: string[] = [];
        const ana = await joinGuest('Ana', 'read-write', { notify: message => refusals.push(message) });
        const model = await openIn(ana, 'r.txt');

        const result = await guestProvider(registries.renameProvider, model).provideRenameEdits(model, positionOf(model, 'oldName'), 'newName', token());
        assert.deepEqual(result, { edits: [] }, 'the guest applies nothing itself');
        assert.equal(host.getValue(), 'let newName = 1;\nprint(newName);\n');
        assert.equal(other.getValue(), 'import newName;\n');
        await eventually(() => model.getValue() === host.getValue(), 'the rename reaches the guest through editor sync');
        assert.deepEqual(saves.sort(), ['/ws/r.txt', '/ws/s.txt']);

        // Monaco offers the guest one formatter for Format Document (the range formatter is the same one's), so it asks no "Format Document With...".
        const { getRealAndSyntheticDocumentFormattersOrdered } = await dynamicImport('@theia/monaco-editor-core/esm/vs/editor/contrib/format/browser/format.js') as
            { getRealAndSyntheticDocumentFormattersOrdered(document: unknown, range: unknown, model: TextModel): { displayName?: string }[] };
        const formatters = getRealAndSyntheticDocumentFormattersOrdered(registries.documentFormattingEditProvider, registries.documentRangeFormattingEditProvider, model);
        assert.deepEqual(formatters.map(formatter => formatter.displayName), ['Ensemble host']);
        const formatting = await guestProvider(registries.documentFormattingEditProvider, model)
            .provideDocumentFormattingEdits(model, { tabSize: 4, insertSpaces: true }, token());
        assert.deepEqual(formatting, []);
        assert.equal(host.getValue(), 'let newName=1;\nprint(newName);\n');
        await eventually(() => model.getValue() === host.getValue(), 'the formatting reaches the guest');
        assert.deepEqual(refusals, []);

        // A read-only guest: refused by the host, whatever the guest's own code would allow; the provider never runs.
        const answer = await renameRequest(await joinGuest('Ben', 'read-only', false), 'r.txt', 5, 'hacked');
        assert.equal(answer.applied, false);
        assert.match(answer.message ?? '', /only read/);
        assert.equal(renames, 1);
        assert.equal(host.getValue(), 'let newName=1;\nprint(newName);\n');
    });

    it('refuses a guest\'s rename that would also edit a file the host does not share (excluded), and changes no file', async () => {
        const host = hostFile('t.txt', 'let secretName = 1;\n');
        const excluded = hostFile('.env', 'secretName=hunter2\n');
        onHost(selector => monaco.languages.registerRenameProvider(selector, {
            provideRenameEdits: (model, _position, newName) => ({
                edits: [model, excluded].flatMap(target => target.findMatches('secretName', false, false, true, null, false)
                    .map(match => ({ resource: target.uri, textEdit: { range: match.range, text: newName }, versionId: undefined })))
            })
        }));
        const answer = await renameRequest(await joinGuest('Ana', 'read-write', false), 't.txt', 5, 'leaked');
        assert.equal(answer.applied, false);
        assert.match(answer.message ?? '', /\.env, which you cannot edit \(.*\): ask the host/);
        assert.equal(host.getValue(), 'let secretName = 1;\n', 'nothing is changed when one file is refused');
        assert.equal(excluded.getValue(), 'secretName=hunter2\n');
        assert.deepEqual(saves, []);
    });

    it('lists the host\'s code actions (given the host\'s diagnostics) and applies the chosen one on the host, not for a read-only guest', async () => {
        const host = hostFile('q.txt', 'first\nTODO fix this\n');
        // The host's diagnostics, where Theia puts them for Monaco (its code action providers read them from there).
        monaco.editor.setModelMarkers(host, 'unit', [{ severity: monaco.MarkerSeverity.Hint, message: 'a host problem at line 2', startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 5 }]);
        onHost(selector => monaco.languages.registerCodeActionProvider(selector, {
            provideCodeActions: (model, range, context) => ({
                actions: [
                    {
                        title: `Mark done (${context.markers.map(marker => marker.message).join(', ')})`, kind: 'quickfix', isPreferred: true,
                        edit: { edits: [{ resource: model.uri, textEdit: { range: { startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 5 }, text: 'DONE' }, versionId: undefined }] }
                    },
                    { title: 'Run a host command', kind: 'refactor', command: { id: 'host.command', title: 'Run', arguments: [range.startLineNumber] } }
                ],
                dispose: () => undefined
            })
        }));
        const ana = await joinGuest('Ana');
        const model = await openIn(ana, 'q.txt');
        const provider = guestProvider(registries.codeActionProvider, model);
        const list = await provider.provideCodeActions(model, new monaco.Range(2, 1, 2, 5), { markers: [], trigger: 1 }, token());
        assert.deepEqual(list?.actions.map(action => [action.title, action.kind, action.isPreferred]),
            [['Mark done (a host problem at line 2)', 'quickfix', true], ['Run a host command', 'refactor', undefined]]);

        // Choosing an action runs its command through Monaco, which asks the host to apply it.
        const [fix, run] = list.actions.map(action => action.command!);
        await commands.executeCommand(fix.id, ...fix.arguments ?? []);
        assert.equal(host.getValue(), 'first\nDONE fix this\n');
        await eventually(() => model.getValue() === host.getValue(), 'the fix reaches the guest');
        await commands.executeCommand(run.id, ...run.arguments ?? []);
        assert.deepEqual(hostCommands, [['host.command', [2]]]);

        const ben = await joinGuest('Ben', 'read-only', false);
        const answer = await ben.session.sendRequest(ApplyCodeActionRequest, { id: fix.arguments![0] as number }, { type: 'host' });
        assert.equal(answer.applied, false);
        assert.match(answer.message ?? '', /only read/);
        assert.equal(hostCommands.length, 1);
    });

    it('tells a guest clearly when the file is not open on the host', async () => {
        hostFile('n.txt', 'never opened');
        const ana = await joinGuest('Ana', 'read-write', false);
        await assert.rejects(ana.session.sendRequest(HoverRequest, { position: { target: { root: 'ws', path: 'n.txt' }, revision: 0, offset: 1 } }, { type: 'host' }),
            /not open for editing on the host/);
        await assert.rejects(ana.session.sendRequest(HoverRequest, { position: { target: { root: 'ws', path: '../etc/passwd' }, revision: 0, offset: 1 } }, { type: 'host' }),
            /not shared|invalid|Invalid/);
    });

    it('relays the host\'s diagnostics of shared files to guests, live and on joining, only from the host, cleared at the end', async () => {
        const hostProblems = new ProblemManager();
        toDispose.push(relayHostMarkers(room.host, {
            problems: hostProblems, delayMs: 20,
            toShared: uri => uri.scheme === 'file' && uri.path.toString().startsWith('/ws/') ? { root: 'ws', path: uri.path.toString().slice('/ws/'.length) } : undefined
        }));
        const guestMarkers = async (name: string): Promise<{ guest: Guest; problems: ProblemManager; shown: DisposableCollection }> => {
            const problems = new ProblemManager();
            const shown = new DisposableCollection();
            const guest = await joinGuest(name, 'read-only', false);
            // Registered after joining here, so the snapshot test below registers before (as the contribution does).
            shown.push(showHostMarkers(guest.session, problems));
            toDispose.push(shown);
            return { guest, problems, shown };
        };
        const diagnostic = (line: number, message: string) => ({ severity: 2 as const, message, source: 'unit', range: { start: { line, character: 0 }, end: { line, character: 3 } } });
        const ana = await guestMarkers('Ana');
        const sharedUri = toEnsembleUri(room.roomId, { root: 'ws', path: 'src/m.ts' });
        hostProblems.setMarkers(new URI('file:///ws/src/m.ts'), 'tsc', [diagnostic(0, 'first problem')]);
        hostProblems.setMarkers(new URI('file:///elsewhere/x.ts'), 'tsc', [diagnostic(0, 'not shared')]);
        const markersOf = (problems: ProblemManager) => problems.findMarkers({ uri: sharedUri }).map(marker => [marker.owner, marker.data.message]);
        await eventually(() => markersOf(ana.problems).length === 1, 'the guest gets the host\'s diagnostic');
        assert.deepEqual(markersOf(ana.problems), [[HOST_MARKERS_OWNER, 'first problem']]);
        hostProblems.setMarkers(new URI('file:///ws/src/m.ts'), 'eslint', [diagnostic(1, 'second problem')]);
        await eventually(() => markersOf(ana.problems).length === 2, 'a change reaches the guest');

        // A guest joining later gets what is there; a guest cannot plant diagnostics on others.
        const problems = new ProblemManager();
        let documents: GuestDocuments | undefined;
        const ben = await joinAs(server.url, room, 'Ben', 'read-only', guest => {
            documents = new GuestDocuments(guest, new EditorSyncMetrics());
            toDispose.push(showHostMarkers(guest, problems));
        });
        toDispose.push(documents!);
        toDispose.push({ dispose: () => ben.dispose() });
        await eventually(() => markersOf(problems).length === 2, 'the late guest gets the snapshot');
        // Ben's messages reach Ana in the order he sent them: once his ping is there, so are the planted diagnostics.
        const Ping = defineBroadcast('test/ping', Type.Object({}));
        let pinged = false;
        toDispose.push(ana.guest.session.onBroadcast(Ping, () => { pinged = true; }));
        ben.sendBroadcast(MarkersChanged, { target: { root: 'ws', path: 'src/m.ts' }, markers: [] });
        ben.sendBroadcast(MarkersChanged, { target: { root: 'ws', path: 'src/fake.ts' }, markers: [diagnostic(0, 'planted')] });
        ben.sendBroadcast(Ping, {});
        await eventually(() => pinged, 'Ben\'s messages reached Ana');
        assert.equal(markersOf(ana.problems).length, 2, 'a guest cannot clear the host\'s diagnostics');
        hostProblems.setMarkers(new URI('file:///ws/src/m.ts'), 'eslint', []);
        await eventually(() => markersOf(ana.problems).length === 1, 'the host\'s change arrives');
        assert.equal(ana.problems.findMarkers({}).some(marker => marker.data.message === 'planted'), false);
        assert.equal(ana.problems.findMarkers({}).some(marker => marker.data.message === 'not shared'), false);

        ana.shown.dispose();
        assert.deepEqual(ana.problems.findMarkers({}), [], 'the session\'s end clears the host\'s diagnostics');
    });
});
