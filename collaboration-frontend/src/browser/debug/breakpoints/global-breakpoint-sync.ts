import type { Broadcast, CollaborationSession, Notification } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BreakpointManager } from '@theia/debug/lib/browser/breakpoint/breakpoint-manager';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { askHostOnceAdmittedAndAfterLoss } from '../../session/session-entered';
import {
    ExceptionFiltersChanged, FunctionBreakpointsChanged, ListGlobalBreakpoints, SetExceptionFilters, SetFunctionBreakpoints,
    type SharedExceptionFilter, type SharedFunctionBreakpoint
} from '../debug-messages';
import {
    byFilter, byName, fromSharedFunctionBreakpoints, mergeExceptionFilters, toSharedExceptionFilters, toSharedFunctionBreakpoints
} from './global-breakpoints';
import { HostLists } from './host-lists';
import { mergeChanges, sameLists } from './shared-breakpoints';

/** One session-wide list shared with the host as arbiter: how to read it here, apply a peer's, and tell a change made here. */
interface SharedList<T extends object> {
    /** The breakpoint manager's marker URI whose changes may change the list. */
    readonly markerUri: URI;
    readonly changed: Broadcast<{ list: T[]; version: number }>;
    readonly set: Notification<{ list: T[]; base: T[] }>;
    /** What identifies an entry (a function's name, a filter's id). */
    keyOf(entry: T): string;
    /** The order of the list's shared form. */
    compare(a: T, b: T): number;
    /** Makes the local list follow `list` (a peer's, or the host's result); answers the list as it is to be remembered. */
    apply(list: readonly T[], last: readonly T[]): T[];
    /** After a local change: the list to share, or undefined when there is nothing new to tell (no echo). */
    changedHere(last: readonly T[]): T[] | undefined;
}

/**
 * Shares the debugger's session-wide breakpoints both ways, as source
 * breakpoints are (see breakpoint-sync.ts): function breakpoints, and the
 * settings of the host's exception filters ("Caught Exceptions", "Uncaught
 * Exceptions", their conditions). The host makes a guest's changes to its
 * list (merged, so that changes made meanwhile by others stay) and
 * broadcasts the result; its own debug sessions send them to its adapters.
 * Each side remembers the last list shared and sends only a list that
 * differs, so applying a received list never echoes.
 */
@injectable()
export class GlobalBreakpointSync {
    @inject(BreakpointManager) protected readonly breakpoints!: BreakpointManager;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    start(session: CollaborationSession, isHost: boolean): Disposable {
        const toDispose = new DisposableCollection();
        if (!isHost) {
            // A guest's own function breakpoints make way for the host's while in the session, and come back after
            // (disposed last: the listeners below are gone by then, so they are not sent to the host).
            const own = this.breakpoints.getFunctionBreakpoints().map(bp => bp.origin);
            this.breakpoints.setFunctionBreakpoints([]);
            toDispose.push(Disposable.create(() => this.breakpoints.setFunctionBreakpoints(own)));
        }
        const functions = this.shareList(session, isHost, this.functionBreakpoints());
        const exceptions = this.shareList(session, isHost, this.exceptionFilters(isHost));
        toDispose.pushAll([functions, exceptions]);
        if (isHost) {
            toDispose.push(session.onRequest(ListGlobalBreakpoints, () => ({ functions: functions.current(), exceptions: exceptions.current() })));
        } else {
            const list = (): void => {
                session.sendRequest(ListGlobalBreakpoints, {}, { type: 'host' })
                    .then(lists => {
                        functions.receive(lists.functions);
                        exceptions.receive(lists.exceptions);
                    })
                    .catch(() => undefined); // the host's next change brings them; nothing is lost on the host
            };
            // After a reconnection that lost broadcasts, asked again (after telling what changed here meanwhile, see shareList).
            toDispose.push(askHostOnceAdmittedAndAfterLoss(this.sessions, session, list));
        }
        return toDispose;
    }

    protected functionBreakpoints(): SharedList<SharedFunctionBreakpoint> {
        const read = () => toSharedFunctionBreakpoints(this.breakpoints.getFunctionBreakpoints().map(bp => bp.origin));
        return {
            markerUri: BreakpointManager.FUNCTION_URI,
            changed: FunctionBreakpointsChanged,
            set: SetFunctionBreakpoints,
            keyOf: entry => entry.name,
            compare: byName,
            apply: list => {
                if (!sameLists(read(), list)) {
                    this.breakpoints.setFunctionBreakpoints(fromSharedFunctionBreakpoints(list, this.breakpoints.getFunctionBreakpoints().map(bp => bp.origin)));
                }
                return read();
            },
            changedHere: last => {
                const list = read();
                return sameLists(list, last) ? undefined : list;
            }
        };
    }

    /**
     * Each window knows only the filters its debug adapters offer (a guest's
     * come with the host's sessions it mirrors). The host's list is the
     * shared one: a guest applies it to the filters it knows, and the host
     * takes from a guest's list only the filters it has itself. A filter that
     * appears here (a mirrored session started) takes the shared setting
     * instead of telling its default to the others. A guest's settings of
     * the host's filters stay after the session (the same filters of the same
     * kind of adapter).
     */
    protected exceptionFilters(isHost: boolean): SharedList<SharedExceptionFilter> {
        const read = () => toSharedExceptionFilters(this.breakpoints.getExceptionBreakpoints().map(bp => bp.origin));
        const known = new Set<string>();
        const applyHere = (list: readonly SharedExceptionFilter[]): void => {
            const wantedByFilter = new Map(list.map(entry => [entry.filter, entry]));
            for (const breakpoint of this.breakpoints.getExceptionBreakpoints()) {
                const wanted = wantedByFilter.get(breakpoint.origin.raw.filter);
                if (wanted && !sameLists(toSharedExceptionFilters([breakpoint.origin]), [wanted])) {
                    // Both places that hold a condition (see LocalExceptionBreakpoint): the session sends it to the adapter, the view shows it.
                    const raw: typeof breakpoint.origin.raw & { condition?: string } = { ...breakpoint.origin.raw, condition: wanted.condition };
                    breakpoint.origin.enabled = wanted.enabled;
                    breakpoint.origin.condition = wanted.condition;
                    breakpoint.origin.raw = raw;
                    this.breakpoints.fireBreakpointChanged(breakpoint);
                }
            }
        };
        return {
            markerUri: BreakpointManager.EXCEPTION_URI,
            changed: ExceptionFiltersChanged,
            set: SetExceptionFilters,
            keyOf: entry => entry.filter,
            compare: byFilter,
            apply: (list, last) => {
                applyHere(list);
                return isHost ? read() : mergeExceptionFilters(last, list);
            },
            changedHere: last => {
                const appeared = read().map(entry => entry.filter).filter(filter => !known.has(filter));
                appeared.forEach(filter => known.add(filter));
                if (appeared.length > 0) {
                    applyHere(last.filter(entry => appeared.includes(entry.filter)));
                }
                const merged = mergeExceptionFilters(last, read());
                return sameLists(merged, last) ? undefined : merged;
            }
        };
    }

    /** Wires one list: local changes go to the host (or, on the host, to everyone), peers' lists are applied here. */
    protected shareList<T extends object>(session: CollaborationSession, isHost: boolean, kind: SharedList<T>): Disposable & { current(): Versioned<T>; receive(list: Versioned<T>): void } {
        let last: T[] = [];
        /** On the host: counts its changes (see HostLists). */
        let hostVersion = 0;
        const hostLists = new HostLists(kind.keyOf, kind.compare);
        /**
         * While a peer's list is applied here, the changes it makes are not this
         * window's to tell; while a change here is being told, the changes that
         * telling makes (a filter that appeared taking the shared setting) are
         * part of it.
         */
        let busy = false;
        const whileBusy = <R>(work: () => R): R => {
            busy = true;
            try {
                return work();
            } finally {
                busy = false;
            }
        };
        const toDispose = new DisposableCollection();
        const apply = (list: readonly T[]): void => { last = whileBusy(() => kind.apply(list, last)); };
        const broadcast = (): void => session.sendBroadcast(kind.changed, { list: last, version: ++hostVersion });
        /** Tells a change made here, if there is one (nothing while offline: the reconnection tells it). */
        const tellChange = (): void => {
            if (busy || session.state !== 'connected') {
                return;
            }
            const list = whileBusy(() => kind.changedHere(last));
            if (list === undefined) {
                return;
            }
            const base = last;
            last = list;
            if (isHost) {
                broadcast();
            } else {
                session.sendNotification(kind.set, { list, base }, { type: 'host' });
            }
        };
        toDispose.push(this.breakpoints.onDidChangeMarkers(uri => {
            if (uri.toString() === kind.markerUri.toString()) {
                tellChange();
            }
        }));
        toDispose.push(session.onReconnect(({ recovered }) => {
            tellChange();
            if (isHost && !recovered) {
                broadcast(); // guests may have missed the last one
            }
        }));
        /** On a guest: the host's list (see HostLists). */
        const receive = (received: Versioned<T>): void => {
            const mine = hostLists.receive('', received.list, received.version, last);
            if (mine) {
                apply(mine);
            }
        };
        if (isHost) {
            toDispose.push(session.onNotification(kind.set, ({ list, base }, { origin }) => {
                if (session.peers.has(origin)) {
                    apply(mergeChanges(last, base, list, kind.keyOf, kind.compare));
                    // Everyone, the sender too: if it changed the list again meanwhile, its newer change follows and is merged the same way.
                    broadcast();
                }
            }));
            // What is set here when the session starts is what guests get.
            last = whileBusy(() => kind.changedHere([])) ?? [];
        } else {
            toDispose.push(session.onBroadcast(kind.changed, receive));
        }
        return Object.assign(toDispose, { current: () => ({ list: last, version: hostVersion }), receive });
    }
}

interface Versioned<T> {
    readonly list: T[];
    readonly version: number;
}
