import type { HostWorkspaceService } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { EncodingRegistry } from '@theia/core/lib/browser/encoding-registry';
import { CorePreferences } from '@theia/core/lib/common/core-preferences';
import { LabelProvider } from '@theia/core/lib/browser/label-provider';
import { WindowService } from '@theia/core/lib/browser/window/window-service';
import { WindowTitleService } from '@theia/core/lib/browser/window/window-title-service';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { EncodingService } from '@theia/core/lib/common/encoding-service';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { Emitter } from '@theia/core/lib/common/event';
import { PreferenceSchemaService, PreferenceService } from '@theia/core/lib/common/preferences';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import URI from '@theia/core/lib/common/uri';
import type { Container } from '@theia/core/shared/inversify';
import { FileService, FileServiceContribution } from '@theia/filesystem/lib/browser/file-service';
import { FileSystemWatcherErrorHandler } from '@theia/filesystem/lib/browser/filesystem-watcher-error-handler';
import { FileSystemPreferences } from '@theia/filesystem/lib/common/filesystem-preferences';
import { UntitledWorkspaceService, WorkspaceFileService, WorkspaceServer } from '@theia/workspace/lib/common';
import { WorkspacePreferences } from '@theia/workspace/lib/common/workspace-preferences';
import { WorkspaceSchemaUpdater } from '@theia/workspace/lib/browser/workspace-schema-updater';
import { WorkspaceOpenHandlerContribution, WorkspaceHandlingContribution, WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { GuestAwareFileSearchService } from '../guest/guest-file-search-service';
import { GuestWorkspaceMount } from '../guest/guest-workspace-mount';
import { GuestAwareWorkspaceService } from '../guest/guest-workspace-service';
import { TransferProgressNotifier } from '../guest/transfer-progress-notifier';
import { HostWorkspaceChangeRelay } from '../host/host-workspace-change-relay';
import { HostWorkspaceSharing } from '../host/host-workspace-sharing';
import { WorkspaceSharingContribution } from '../workspace-sharing-contribution';
import { WorkspaceSharingPreferences } from '../workspace-sharing-preferences';
import { CollaborationSessionContribution } from '../../session/session-contribution';
import { HostWorkspaceService as HostWorkspaceServiceSymbol } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import type { FileSearchService } from '@theia/file-search/lib/common/file-search-service';

/** A preference proxy double: property access plus the change event, which tests fire. */
export function preferencesDouble<T extends object>(values: T): T & { onPreferenceChanged: Emitter<{ preferenceName: string }>['event']; changed: Emitter<{ preferenceName: string }>; get(name: string): unknown } {
    const changed = new Emitter<{ preferenceName: string }>();
    return Object.assign(values, {
        changed,
        onPreferenceChanged: changed.event,
        get: (name: string) => (values as Record<string, unknown>)[name]
    });
}

/** What the Theia doubles recorded: the workspace the window would reopen next time. */
export interface WorkspaceRecord {
    mostRecentlyUsed: string | undefined;
    /** Every workspace the window asked to remember, in order. */
    readonly remembered: string[];
}

/**
 * Binds Theia's real FileService and the real GuestAwareWorkspaceService
 * (subclass of Theia's WorkspaceService) with doubles for what they need
 * from the rest of the application (window, preferences, servers). The
 * window's own workspace is `ownWorkspace` (a folder on disk), if any.
 */
export function bindGuestWindow(container: Container, ownWorkspace: URI | undefined): WorkspaceRecord {
    const record: WorkspaceRecord = { mostRecentlyUsed: ownWorkspace?.toString(), remembered: [] };
    container.bind(LabelProvider).toConstantValue({ getLongName: (uri: URI) => uri.path.toString(), getName: (uri: URI) => uri.path.base } as unknown as LabelProvider);
    container.bind(FileSystemPreferences).toConstantValue(preferencesDouble({
        'files.maxFileSizeMB': 4096, 'files.autoGuessEncoding': false, 'files.participants.timeout': 0, 'files.watcherExclude': {}, 'files.encoding': 'utf8'
    }) as unknown as FileSystemPreferences);
    container.bind(CorePreferences).toConstantValue(preferencesDouble({ 'files.encoding': 'utf8' }) as unknown as CorePreferences);
    container.bind(ProgressService).toConstantValue({ withProgress: (_text: string, _location: string, task: () => Promise<unknown>) => task() } as unknown as ProgressService);
    container.bind(EncodingService).toSelf().inSingletonScope();
    container.bind(EncodingRegistry).toSelf().inSingletonScope();
    bindContributionProvider(container, FileServiceContribution);
    container.bind(WindowService).toConstantValue({ reload: () => undefined, isSafeToShutDown: async () => true, setSafeToShutDown: () => undefined } as unknown as WindowService);
    container.bind(FileSystemWatcherErrorHandler).toSelf().inSingletonScope();
    container.bind(FileService).toSelf().inSingletonScope();

    container.bind(WorkspaceServer).toConstantValue({
        getMostRecentlyUsedWorkspace: async () => record.mostRecentlyUsed,
        setMostRecentlyUsedWorkspace: async (uri: string) => { record.mostRecentlyUsed = uri; record.remembered.push(uri); },
        removeRecentWorkspace: async () => undefined,
        getRecentWorkspaces: async () => []
    } as WorkspaceServer);
    container.bind(WorkspacePreferences).toConstantValue(preferencesDouble({ 'workspace.preserveWindow': false, 'workspace.supportMultiRootWorkspace': true }) as unknown as WorkspacePreferences);
    container.bind(PreferenceService).toConstantValue({ onPreferenceChanged: new Emitter().event, ready: Promise.resolve() } as unknown as PreferenceService);
    container.bind(PreferenceSchemaService).toConstantValue({} as unknown as PreferenceSchemaService);
    container.bind(EnvVariablesServer).toConstantValue({ getConfigDirUri: async () => 'file:///tmp/ensemble-test-config' } as unknown as EnvVariablesServer);
    container.bind(WorkspaceSchemaUpdater).toConstantValue({} as unknown as WorkspaceSchemaUpdater);
    container.bind(UntitledWorkspaceService).toConstantValue({ isUntitledWorkspace: () => false } as unknown as UntitledWorkspaceService);
    container.bind(WorkspaceFileService).toConstantValue({ isWorkspaceFile: () => false, getWorkspaceFileExtensions: () => ['theia-workspace', 'code-workspace'] } as unknown as WorkspaceFileService);
    container.bind(WindowTitleService).toConstantValue({ update: () => undefined } as unknown as WindowTitleService);
    bindContributionProvider(container, WorkspaceOpenHandlerContribution);
    bindContributionProvider(container, WorkspaceHandlingContribution);
    container.bind(GuestAwareWorkspaceService).toSelf().inSingletonScope();
    container.bind(WorkspaceService).toService(GuestAwareWorkspaceService);
    // The host-side services exist in every window (the contribution needs them); a guest never calls them.
    container.bind(WorkspaceSharingPreferences).toConstantValue(preferencesDouble({ 'collaboration.excludedFiles': [] }) as unknown as WorkspaceSharingPreferences);
    container.bind(HostWorkspaceServiceSymbol).toConstantValue(new Proxy({}, {
        get: (_target, method) => method === 'then' ? undefined : () => { throw new Error(`a guest window called the host backend (${String(method)})`); }
    }) as HostWorkspaceService);
    return record;
}

/** Host-side doubles: the workspace's folders (changeable), file existence from disk; and the real sharing services. */
export interface HostWindow {
    readonly folders: URI[];
    readonly workspaceChanged: Emitter<unknown>;
    readonly preferences: ReturnType<typeof preferencesDouble<{ 'collaboration.excludedFiles': string[] }>>;
}

export function bindHostWindow(container: Container, backend: HostWorkspaceService, folders: URI[]): HostWindow {
    const workspaceChanged = new Emitter<unknown>();
    const toStats = (): Array<{ resource: URI }> => folders.map(resource => ({ resource, isDirectory: true }));
    container.bind(WorkspaceService).toConstantValue({
        get roots() { return Promise.resolve(toStats()); },
        tryGetRoots: toStats,
        onWorkspaceChanged: workspaceChanged.event
    } as unknown as WorkspaceService);
    container.bind(FileService).toConstantValue({ exists: async () => true } as unknown as FileService);
    const preferences = preferencesDouble({ 'collaboration.excludedFiles': ['**/.env', '**/.git/**'] });
    container.bind(WorkspaceSharingPreferences).toConstantValue(preferences as unknown as WorkspaceSharingPreferences);
    container.bind(HostWorkspaceServiceSymbol).toConstantValue(backend);
    return { folders, workspaceChanged, preferences };
}

/** The workspace-sharing services as the module binds them (minus the RPC proxy, bound by the caller). */
export function bindWorkspaceSharingServices(container: Container): void {
    container.bind(HostWorkspaceChangeRelay).toSelf().inSingletonScope();
    container.bind(HostWorkspaceSharing).toSelf().inSingletonScope();
    container.bind(TransferProgressNotifier).toSelf().inSingletonScope();
    container.bind(GuestWorkspaceMount).toSelf().inSingletonScope();
    container.bind(WorkspaceSharingContribution).toSelf().inSingletonScope();
    container.bind(CollaborationSessionContribution).toService(WorkspaceSharingContribution);
}

/** Go to File for this container: a recording double for Theia's own (ripgrep) search, wrapped as the module does. */
export function guestFileSearch(container: Container, localResults: string[] = []): { search: GuestAwareFileSearchService; localCalls: FileSearchService.Options[] } {
    const localCalls: FileSearchService.Options[] = [];
    const local: FileSearchService = { find: async (_pattern, options) => { localCalls.push(options); return localResults; } };
    return { search: new GuestAwareFileSearchService(local, container.get(GuestWorkspaceMount)), localCalls };
}
