import * as assert from 'node:assert/strict';
import { Cleanup } from './cleanup';
import { makeTempWorkspace } from './temp-dirs';
import { startTheiaApp, type TheiaApp } from './theia-app';
import { TheiaPage } from './theia-page';

/** The id of the session status bar item (shows "Joined" on a guest once it is in). */
export const SESSION_STATUS_ID = 'ensemble-session';

export interface PeerOptions {
    /** Names the app, its browser profile, logs and screenshots, e.g. `chat-host`. */
    readonly name: string;
    /** `collaboration.displayName` */
    readonly displayName: string;
    /** More user settings for this app. */
    readonly settings?: Readonly<Record<string, unknown>>;
    /** Extra environment variables for this app's backend. */
    readonly env?: Readonly<Record<string, string>>;
}

export interface HostOptions extends PeerOptions {
    /** Files of the host's workspace (relative path -> content). */
    readonly files?: Readonly<Record<string, string>>;
    /** How the host admits guests without asking; default `read-write`. */
    readonly autoAccept?: 'read-only' | 'read-write';
}

/** One running app with its browser page. */
export interface RunningPeer {
    readonly app: TheiaApp;
    readonly page: TheiaPage;
    /** The folder the app has open. */
    readonly workspace: string;
}

export interface RunningSession {
    readonly host: RunningPeer;
    /** In the order they were given; all joined. */
    readonly guests: readonly RunningPeer[];
    /** `http://127.0.0.1:<port>/invite/<code>`: more guests can join with `joinSession`. */
    readonly inviteLink: string;
}

/**
 * Starts a peer's app (with its own empty workspace unless files are given)
 * and opens its page; everything is registered with the cleanup.
 */
export async function startPeer(cleanup: Cleanup, options: PeerOptions & { readonly files?: Readonly<Record<string, string>> }): Promise<RunningPeer> {
    const workspace = makeTempWorkspace(options.name, options.files ?? {});
    cleanup.add(`${options.name} workspace`, () => workspace.remove());
    const app = await startTheiaApp({
        name: options.name,
        workspace: workspace.path,
        settings: { 'collaboration.displayName': options.displayName, ...options.settings },
        env: options.env
    });
    cleanup.add(`${options.name} app`, () => app.stop());
    const page = await TheiaPage.open(app.url, { name: options.name });
    cleanup.add(`${options.name} browser`, () => page.close());
    return { app, page, workspace: workspace.path };
}

/** Runs "Ensemble: Start Session" on the host's page and returns the invite link from its notification. */
export async function startSession(host: TheiaPage): Promise<string> {
    const mark = await host.notificationMark();
    await host.runCommand('Ensemble: Start Session');
    const text = await host.waitForNotification(/Session started/, { since: mark });
    const link = /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Z0-9-]+)/.exec(text)?.[1];
    assert.ok(link, `an invite link in: ${text}`);
    return link;
}

/** Joins with the invite link and waits until the status bar says "Joined" (the host must admit the guest, e.g. by `autoAccept`). */
export async function joinSession(guest: TheiaPage, inviteLink: string): Promise<void> {
    await guest.runCommand('Ensemble: Join Session');
    await guest.answerQuickInput(inviteLink, { expectTitle: /Join Session/ });
    await guest.waitForStatusBarText(SESSION_STATUS_ID, /^\s*Joined\s*$/);
}

/**
 * The setup most collaboration specs share: the host's and the guests' apps
 * start in parallel, the host starts a session that admits guests
 * automatically, and each guest joins with the invite link in turn.
 */
export async function startCollaborationSession(cleanup: Cleanup, options: {
    readonly host: HostOptions;
    readonly guests: readonly PeerOptions[];
}): Promise<RunningSession> {
    const { host: hostOptions } = options;
    const hostSettings = { 'collaboration.autoAccept': hostOptions.autoAccept ?? 'read-write', ...hostOptions.settings };
    const [host, ...guests] = await Promise.all([
        startPeer(cleanup, { ...hostOptions, settings: hostSettings }),
        ...options.guests.map(guest => startPeer(cleanup, guest))
    ]);
    const inviteLink = await startSession(host.page);
    for (const guest of guests) {
        await joinSession(guest.page, inviteLink);
    }
    return { host, guests, inviteLink };
}

/** Saves a screenshot of every page under `test-artifacts/failures/` when the current test failed (call from `afterEach`). */
export async function screenshotOnFailure(test: Mocha.Test | undefined, pages: readonly (TheiaPage | undefined)[]): Promise<void> {
    if (test?.state !== 'failed') {
        return;
    }
    const name = test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const page of pages) {
        await page?.screenshot(`failed-${name}`, { folder: 'failures' }).catch(() => undefined);
    }
}

/**
 * The mocha hooks of a suite that runs in one collaboration session: started
 * before the suite's tests, stopped after them, with screenshots of every
 * page when a test fails. The returned session is there once `before` ran.
 */
export function useCollaborationSession(options: Parameters<typeof startCollaborationSession>[1]): { readonly current: RunningSession } {
    const cleanup = new Cleanup();
    let running: RunningSession | undefined;
    before(async function (): Promise<void> {
        this.timeout(300_000);
        running = await startCollaborationSession(cleanup, options);
    });
    after(() => cleanup.disposeAll());
    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [running?.host.page, ...running?.guests.map(guest => guest.page) ?? []]);
    });
    return {
        get current(): RunningSession {
            if (!running) {
                throw new Error('the collaboration session is not started yet (use it in tests, after `before`)');
            }
            return running;
        }
    };
}
