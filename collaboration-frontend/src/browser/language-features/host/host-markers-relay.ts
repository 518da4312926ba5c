import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import type { ProblemManager } from '@theia/markers/lib/browser/problem/problem-manager';
import type { Diagnostic } from '@theia/core/shared/vscode-languageserver-protocol';
import { MarkersChanged, MarkersSnapshot, MAX_MARKER_MESSAGE_CHARS, MAX_MARKERS_PER_FILE, type WireMarker } from '../language-messages';
import { withinBudget } from './wire-conversion';

/** Characters of a diagnostic's source and code. */
const MAX_SOURCE_CHARS = 256;

export interface HostMarkersRelayOptions {
    readonly problems: Pick<ProblemManager, 'onDidChangeMarkers' | 'findMarkers' | 'getUris'>;
    /** The shared path of a host file, undefined outside the shared folders. */
    toShared(uri: URI): SharedPath | undefined;
    /** Changes of one file are sent at most this often (ms): diagnostics change with every keystroke. Default 300. */
    readonly delayMs?: number;
}

/** Files at most whose diagnostics a guest gets when it joins. */
const MAX_SNAPSHOT_FILES = 2000;

/**
 * The host's diagnostics (Theia's ProblemManager: language servers,
 * linters, extensions) of the shared files, for the guests: every change
 * of a shared file's markers is broadcast (coalesced per file), and a guest
 * that joins gets those of every shared file that has some.
 */
export function relayHostMarkers(session: CollaborationSession, options: HostMarkersRelayOptions): Disposable {
    const delayMs = options.delayMs ?? 300;
    const due = new Map<string, ReturnType<typeof setTimeout>>();
    const markersOf = (uri: URI): WireMarker[] => withinBudget(options.problems.findMarkers({ uri }).slice(0, MAX_MARKERS_PER_FILE).map(marker => toWire(marker.data)));
    const send = (uri: URI): void => {
        const target = options.toShared(uri);
        if (target && session.state === 'connected') {
            session.sendBroadcast(MarkersChanged, { target, markers: markersOf(uri) });
        }
    };
    const toDispose = new DisposableCollection(
        options.problems.onDidChangeMarkers(uri => {
            const key = uri.toString();
            if (!due.has(key) && options.toShared(uri)) {
                due.set(key, setTimeout(() => {
                    due.delete(key);
                    send(uri);
                }, delayMs));
            }
        }),
        session.onPeerJoined(peer => {
            if (peer.role === 'host') {
                return;
            }
            let files = 0;
            for (const key of options.problems.getUris()) {
                const uri = new URI(key);
                const target = options.toShared(uri);
                const markers = target ? markersOf(uri) : [];
                if (target && markers.length > 0 && files++ < MAX_SNAPSHOT_FILES) {
                    session.sendNotification(MarkersSnapshot, { target, markers }, { type: 'peer', peer: peer.id });
                }
            }
        }),
        Disposable.create(() => {
            due.forEach(timer => clearTimeout(timer));
            due.clear();
        })
    );
    return toDispose;
}

function toWire(diagnostic: Diagnostic): WireMarker {
    const at = (n: number): number => Math.min(Math.max(Math.floor(n) || 0, 0), 100_000_000);
    const { start, end } = diagnostic.range;
    const marker: WireMarker = {
        message: clip(String(diagnostic.message), MAX_MARKER_MESSAGE_CHARS),
        range: { start: { line: at(start.line), character: at(start.character) }, end: { line: at(end.line), character: at(end.character) } }
    };
    if (diagnostic.severity === 1 || diagnostic.severity === 2 || diagnostic.severity === 3 || diagnostic.severity === 4) {
        marker.severity = diagnostic.severity;
    }
    if (typeof diagnostic.source === 'string') {
        marker.source = clip(diagnostic.source, MAX_SOURCE_CHARS);
    }
    if (typeof diagnostic.code === 'string' || (typeof diagnostic.code === 'number' && Number.isInteger(diagnostic.code))) {
        marker.code = typeof diagnostic.code === 'string' ? clip(diagnostic.code, MAX_SOURCE_CHARS) : diagnostic.code;
    }
    return marker;
}

function clip(text: string, max: number): string {
    return text.length <= max ? text : text.slice(0, max);
}
