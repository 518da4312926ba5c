import '@theia/core/shared/reflect-metadata';
import { EmbeddedServerService } from '@ensemble/collaboration-backend/lib/common/embedded-server-protocol';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import type { Progress, ProgressMessage } from '@theia/core/lib/common/message-service-protocol';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { Container } from '@theia/core/shared/inversify';
import { CollaborationPreferences, type CollaborationConfiguration } from '../../collaboration-preferences';
import { JoinApprovalService } from '../../join-approval/join-approval-service';
import { CollaborationSessionService } from '../collaboration-session-service';
import { CollaborationSessionContribution } from '../session-contribution';
import { ServerUrlResolver } from '../server-url-resolver';
import { SessionResumeStorage, SessionResumeStore } from '../session-resume-store';

/** A notification the code under test showed, with a way to click one of its actions. */
export interface ShownMessage {
    readonly kind: 'info' | 'warn' | 'error' | 'progress';
    readonly text: string;
    readonly actions: readonly string[];
    /** Settles the notification as if the user clicked `action` (or closed it, with undefined). */
    click(action: string | undefined): void;
    /** True once the code closed it (progress notifications only). */
    readonly closed: boolean;
}

/** Records messages instead of rendering them; tests read `shown` and click actions. */
export class RecordingMessageService {
    readonly shown: ShownMessage[] = [];
    private readonly shownEmitter = new Emitter<ShownMessage>();
    readonly onShown: Event<ShownMessage> = this.shownEmitter.event;

    info(text: string, ...actions: string[]): Promise<string | undefined> { return this.record('info', text, actions); }
    warn(text: string, ...actions: string[]): Promise<string | undefined> { return this.record('warn', text, actions); }
    error(text: string, ...actions: string[]): Promise<string | undefined> { return this.record('error', text, actions); }

    async showProgress(message: ProgressMessage): Promise<Progress> {
        let settle: (action: string | undefined) => void = () => undefined;
        const result = new Promise<string | undefined>(resolve => { settle = resolve; });
        let closed = false;
        const entry: ShownMessage = {
            kind: 'progress', text: message.text, actions: message.actions ?? [],
            click: action => settle(action),
            get closed(): boolean { return closed; }
        };
        this.push(entry);
        return { id: String(this.shown.length), report: () => undefined, cancel: () => { closed = true; settle('Cancel'); }, result };
    }

    private record(kind: ShownMessage['kind'], text: string, rawActions: unknown[]): Promise<string | undefined> {
        const actions = rawActions.filter((action): action is string => typeof action === 'string');
        return new Promise(resolve => this.push({ kind, text, actions, click: resolve, closed: false }));
    }

    private push(entry: ShownMessage): void {
        this.shown.push(entry);
        this.shownEmitter.fire(entry);
    }
}

export interface TestContainerOptions {
    /** What the embedded server answers (the test server's URL, usually). */
    readonly embeddedServerUrl: string;
    readonly preferences?: Partial<CollaborationConfiguration>;
    readonly contributions?: readonly CollaborationSessionContribution[];
    /** The tab's sessionStorage: pass the same one to a second container to play a reload of the tab. Default: a fresh one. */
    readonly resumeStorage?: SessionResumeStorage;
}

/** An in-memory stand-in for one tab's sessionStorage. */
export class MemoryStorage implements SessionResumeStorage {
    private readonly items = new Map<string, string>();
    getItem(key: string): string | null { return this.items.get(key) ?? null; }
    setItem(key: string, value: string): void { this.items.set(key, value); }
    removeItem(key: string): void { this.items.delete(key); }
}

/**
 * A frontend container with the real session service, approval service and
 * URL resolver, and test doubles for the preferences, the embedded server's
 * RPC proxy, the logger and the message service.
 */
export function createSessionTestContainer(options: TestContainerOptions): Container {
    const container = new Container();
    const preferences: CollaborationConfiguration = {
        'collaboration.serverUrl': '',
        'collaboration.displayName': '',
        'collaboration.autoAccept': 'off',
        'collaboration.allowList': [],
        ...options.preferences
    };
    container.bind(CollaborationPreferences).toConstantValue(preferences as unknown as CollaborationPreferences);
    container.bind(EmbeddedServerService).toConstantValue({ getUrl: async () => options.embeddedServerUrl });
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    container.bind(MessageService).toConstantValue(new RecordingMessageService() as unknown as MessageService);
    bindContributionProvider(container, CollaborationSessionContribution);
    for (const contribution of options.contributions ?? []) {
        container.bind(CollaborationSessionContribution).toConstantValue(contribution);
    }
    container.bind(ServerUrlResolver).toSelf().inSingletonScope();
    container.bind(CollaborationSessionService).toSelf().inSingletonScope();
    container.bind(SessionResumeStorage).toConstantValue(options.resumeStorage ?? new MemoryStorage());
    container.bind(SessionResumeStore).toSelf().inSingletonScope();
    container.bind(JoinApprovalService).toSelf().inSingletonScope();
    return container;
}

export function recordedMessages(container: Container): RecordingMessageService {
    return container.get(MessageService) as unknown as RecordingMessageService;
}
