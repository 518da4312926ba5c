import type { CollaborationSession } from '@ensemble/collaboration-common';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { TerminalWidget } from '@theia/terminal/lib/browser/base/terminal-widget';
import { TerminalThemeService } from '@theia/terminal/lib/browser/terminal-theme-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { GuestTerminalClient } from './guest/guest-terminal-client';
import type { SharedTerminalStream } from './guest/shared-terminal-stream';
import { SharedTerminalWidget } from './guest/shared-terminal-widget';
import { HostTerminalSharing, type TerminalTypedEvent } from './host/host-terminal-sharing';
import { markSharedTab } from './host/shared-tab-marker';
import { WidgetTerminalSource } from './host/widget-terminal-source';
import type { SharedTerminalInfo, TerminalShareMode } from './terminal-messages';

interface OpenView {
    readonly widget: SharedTerminalWidget;
    readonly stream: SharedTerminalStream;
}

/** A refusal is shown at most this often per view (a guest typing where it may not would get one per key). */
const REFUSAL_NOTICE_INTERVAL_MS = 10_000;

/**
 * Terminal sharing in this window, for the commands, the views and the
 * diagnostics: as host, which of its terminals it shares and how; as guest,
 * the terminals the host shares and the views this window has open.
 */
@injectable()
export class TerminalSharingService implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(ApplicationShell) protected readonly shell!: ApplicationShell;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(TerminalThemeService) protected readonly themes!: TerminalThemeService;

    protected host: HostTerminalSharing | undefined;
    protected guest: { readonly session: CollaborationSession; readonly client: GuestTerminalClient } | undefined;
    protected readonly sources = new Map<TerminalWidget, WidgetTerminalSource>();
    protected readonly views = new Map<string, OpenView>();
    protected readonly changedEmitter = new Emitter<void>();
    protected readonly typedEmitter = new Emitter<TerminalTypedEvent>();
    protected lastTypedEvent: TerminalTypedEvent | undefined;

    /** Shared terminals, or the views of them, changed. */
    readonly onDidChange: Event<void> = this.changedEmitter.event;
    /** Host: a guest typed into a shared terminal. */
    readonly onDidType: Event<TerminalTypedEvent> = this.typedEmitter.event;

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        return isHost ? this.startHosting(session) : this.startGuest(session);
    }

    // ---- host ---------------------------------------------------------------------------------

    get isHosting(): boolean {
        return this.host !== undefined;
    }

    /** Host: the terminals it shares now. */
    get sharedTerminals(): readonly SharedTerminalInfo[] {
        return this.host?.terminals ?? [];
    }

    get lastTyped(): TerminalTypedEvent | undefined {
        return this.lastTypedEvent;
    }

    shareIdOf(widget: TerminalWidget): string | undefined {
        const source = this.sources.get(widget);
        return source && this.host?.idOf(source);
    }

    /** Host: shares the terminal (or changes how it is shared). */
    share(widget: TerminalWidget, mode: TerminalShareMode): SharedTerminalInfo {
        if (!this.host) {
            throw new Error('Start a session first ("Ensemble: Start Session"), then share a terminal.');
        }
        let source = this.sources.get(widget);
        if (!source) {
            const created = new WidgetTerminalSource(widget);
            this.sources.set(widget, created);
            widget.onDidDispose(() => {
                created.dispose();
                this.sources.delete(widget);
            });
            source = created;
        }
        return this.host.share(source, mode);
    }

    unshare(id: string): void {
        this.host?.unshare(id, 'unshared');
    }

    protected startHosting(session: CollaborationSession): Disposable {
        const host = new HostTerminalSharing(session);
        this.host = host;
        const markTabs = (): void => {
            const modes = new Map(host.terminals.map(terminal => [terminal.id, terminal.mode]));
            this.sources.forEach((source, widget) => markSharedTab(widget, modes.get(host.idOf(source) ?? '')));
        };
        const toDispose = new DisposableCollection(
            host.onDidChange(() => {
                markTabs();
                this.changedEmitter.fire();
            }),
            host.onDidType(event => {
                this.lastTypedEvent = event;
                this.typedEmitter.fire(event);
            })
        );
        return Disposable.create(() => {
            toDispose.dispose();
            host.dispose();
            this.sources.forEach((_source, widget) => markSharedTab(widget, undefined));
            if (this.host === host) {
                this.host = undefined;
                this.lastTypedEvent = undefined;
                this.changedEmitter.fire();
            }
        });
    }

    // ---- guest ---------------------------------------------------------------------------------

    /** Guest: the terminals the host shares. */
    get availableTerminals(): readonly SharedTerminalInfo[] {
        return this.guest?.client.terminals ?? [];
    }

    get openViews(): readonly SharedTerminalWidget[] {
        return [...this.views.values()].map(view => view.widget);
    }

    /** Guest: shows the host's terminal in a view (or brings its view to front). */
    async open(id: string): Promise<SharedTerminalWidget> {
        const guest = this.guest;
        if (!guest) {
            throw new Error('Join a session first: shared terminals belong to the host of a session.');
        }
        const existing = this.views.get(id);
        if (existing) {
            await this.shell.activateWidget(existing.widget.id);
            return existing.widget;
        }
        const info = guest.client.terminals.find(terminal => terminal.id === id);
        if (!info) {
            throw new Error('The host does not share this terminal any more.');
        }
        let stream: SharedTerminalStream | undefined;
        let lastNotice = 0;
        const notice = (text: string): void => {
            if (Date.now() - lastNotice > REFUSAL_NOTICE_INTERVAL_MS) {
                lastNotice = Date.now();
                void this.messages.warn(`Ensemble: ${text}`);
            }
        };
        const host = this.hostName(guest.session);
        const widget = new SharedTerminalWidget({
            info,
            hostName: host,
            theme: this.themes.theme,
            onInput: data => stream?.sendInput(data),
            onBlockedTyping: () => notice(stream?.info.mode === 'read-only'
                ? `${host} shares the terminal "${stream.info.title}" read-only: you can watch it but not type. Ask ${host} to share it read-write.`
                : `You have read-only access to this session, so your typing does not reach ${host}'s terminal. Ask ${host} for write access.`)
        });
        stream = await guest.client.open(id, widget).catch(error => {
            widget.dispose();
            throw error;
        });
        const opened = stream;
        if (this.guest !== guest) {
            // The session ended while the scrollback was on its way.
            widget.dispose();
            throw new Error('The session ended before the shared terminal opened.');
        }
        const update = (): void => widget.setState(opened.info, opened.canType);
        update();
        const toDispose = new DisposableCollection(
            opened.onDidChangeInfo(update),
            guest.session.onPeerRoleChanged(({ peerId }) => peerId === guest.session.peerId && update()),
            this.themes.onDidChange(() => widget.setTheme(this.themes.theme)),
            opened.onInputRefused(notice)
        );
        this.views.set(id, { widget, stream: opened });
        widget.disposed.connect(() => {
            toDispose.dispose();
            guest.client.close(opened);
            if (this.views.get(id)?.widget === widget) {
                this.views.delete(id);
                this.changedEmitter.fire();
            }
        });
        await this.shell.addWidget(widget, { area: 'bottom' });
        await this.shell.activateWidget(widget.id);
        this.changedEmitter.fire();
        return widget;
    }

    protected startGuest(session: CollaborationSession): Disposable {
        const client = new GuestTerminalClient(session);
        this.guest = { session, client };
        let refreshed = false;
        const toDispose = new DisposableCollection(
            client.onDidChangeList(({ added }) => {
                this.changedEmitter.fire();
                if (added.length > 0) {
                    this.offerToOpen(session, added);
                }
            }),
            client.onDidUnshare(({ id, title, reason }) => {
                const view = this.views.get(id);
                if (view) {
                    const what = reason === 'closed' ? 'closed' : 'stopped sharing';
                    void this.messages.info(`Ensemble: ${this.hostName(session)} ${what} the terminal "${title}", so its view was closed.`);
                    view.widget.dispose();
                }
            })
        );
        const refreshWhenAdmitted = (): void => {
            // `joined` is the first state in which a guest may send requests to the host.
            if (!refreshed && this.sessions.session === session && this.sessions.state.kind === 'joined' && session.roomId) {
                refreshed = true;
                client.refresh().catch(error => {
                    refreshed = false; // the next state change (e.g. the host is back) tries again
                    console.warn('Ensemble: could not list the shared terminals', error);
                });
            }
        };
        toDispose.push(this.sessions.onDidChangeState(refreshWhenAdmitted));
        refreshWhenAdmitted();
        return Disposable.create(() => {
            toDispose.dispose();
            const titles = [...this.views.values()].map(view => `"${view.stream.info.title}"`);
            [...this.views.values()].forEach(view => view.widget.dispose());
            this.views.clear();
            client.dispose();
            if (this.guest?.client === client) {
                this.guest = undefined;
                this.changedEmitter.fire();
            }
            if (titles.length > 0) {
                void this.messages.info(`Ensemble: the session ended, so the host's shared terminal${titles.length > 1 ? 's' : ''} ${titles.join(', ')} closed.`);
            }
        });
    }

    protected offerToOpen(session: CollaborationSession, added: readonly SharedTerminalInfo[]): void {
        const host = this.hostName(session);
        for (const terminal of added) {
            const access = terminal.mode === 'read-write' && session.role === 'read-write' ? 'you can type in it' : 'you can watch it';
            this.messages.info(`Ensemble: ${host} shares the terminal "${terminal.title}" (${terminal.mode}; ${access}).`, 'Open')
                .then(action => action === 'Open' ? this.open(terminal.id) : undefined)
                .catch(error => this.messages.error(`Ensemble: could not open the shared terminal: ${error instanceof Error ? error.message : String(error)}`));
        }
    }

    protected hostName(session: CollaborationSession): string {
        return (session.hostPeerId && session.peers.get(session.hostPeerId)?.name) || 'the host';
    }
}
