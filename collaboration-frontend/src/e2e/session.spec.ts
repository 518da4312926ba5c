import * as assert from 'node:assert/strict';
import { Cleanup, screenshotOnFailure, SESSION_STATUS_ID, startPeer, startSession, type TheiaApp, type TheiaPage, UI_TIMEOUT_MS } from './harness';

/**
 * The session experience end to end: two real browser apps (the host's on a
 * workspace with files, a guest's on an empty one), each in its own headless
 * Chromium, and the coordination server embedded in the host's backend (the
 * invite link carries its URL, so the guest's app, which has its own
 * embedded server, joins the right one). Unlike the other specs, this one
 * goes through the join UI step by step (name prompt, the host answering
 * the request by hand), so it does not use startCollaborationSession.
 */
describe('e2e: session experience (two browser apps, the host\'s embedded server)', function (): void {
    this.timeout(180_000);

    const STATUS = SESSION_STATUS_ID;
    const cleanup = new Cleanup();
    let hostApp: TheiaApp;
    let host: TheiaPage;
    let guest: TheiaPage;
    let inviteLink: string;

    before(async function (): Promise<void> {
        this.timeout(300_000);
        // The host has a display name in its settings; the guest has none and is asked for one.
        const [hostPeer, guestPeer] = await Promise.all([
            startPeer(cleanup, { name: 'host', displayName: 'Hana', files: { 'README.md': '# Shared project\n', 'src/index.ts': 'export const answer = 42;\n' } }),
            startPeer(cleanup, { name: 'guest', displayName: '' })
        ]);
        ({ app: hostApp, page: host } = hostPeer);
        guest = guestPeer.page;
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host, guest]);
    });

    /** The guest runs Join Session with the invite link and its name; resolves once the host sees the request. */
    async function guestAsksToJoin(name: string): Promise<void> {
        const hostMark = await host.notificationMark();
        await guest.runCommand('Ensemble: Join Session');
        await guest.answerQuickInput(inviteLink, { expectTitle: /Join Session/ });
        await guest.answerQuickInput(name, { expectTitle: /Join Session/ });
        await guest.waitForStatusBarText(STATUS, /waiting for the host/);
        await host.waitForNotification(`${name} wants to join your session.`, { since: hostMark });
    }

    it('starts a session on the host; the invite link names the host\'s embedded server and the status bar says hosting', async () => {
        // The status-bar item opens a menu of what applies now: with no session, start or join.
        await host.waitForStatusBarText(STATUS, /Ensemble/);
        await host.statusBarItem(STATUS).click();
        await host.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Join Session' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await host.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Start Session' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await host.closeQuickInput();
        // "Ensemble: Start Session" from the palette; its notification carries the invite link.
        inviteLink = await startSession(host);
        // Opened in a browser, the link explains itself (the coordination server answers GET /invite/<code>).
        const page = await fetch(inviteLink);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Ensemble: Join Session/);
        assert.notEqual(new URL(inviteLink).origin, new URL(hostApp.url).origin, 'the embedded server has its own port');
        await host.waitForStatusBarText(STATUS, /Hosting · 0 guests/);
        // The Participants view opens and lists the host.
        await host.widget('ensemble-participants').locator('[data-peer-name="Hana"][data-role="host"]').waitFor({ timeout: UI_TIMEOUT_MS });
    });

    it('lets a guest ask to join with the link; the host accepts from the notification; both list each other', async () => {
        await guestAsksToJoin('Gus');
        // The request is listed in the host's Participants view as well, until answered.
        const hostView = host.widget('ensemble-participants');
        await hostView.locator('.ensemble-join-request[data-request-name="Gus"]').waitFor({ timeout: UI_TIMEOUT_MS });
        await host.waitForStatusBarText(STATUS, /1 request/);
        await host.screenshot('join-notification');
        await host.screenshot('join-notification-toast', { target: host.notification('Gus wants to join your session.') });

        const guestMark = await guest.notificationMark();
        await host.clickNotificationAction('Gus wants to join your session.', 'Accept');
        await guest.waitForNotification(/You joined the session of Hana as a guest who can edit/, { since: guestMark });
        await guest.waitForStatusBarText(STATUS, /^\s*Joined\s*$/);
        await host.waitForStatusBarText(STATUS, /Hosting · 1 guest$/);
        await hostView.locator('[data-peer-name="Gus"][data-role="read-write"]').waitFor({ timeout: UI_TIMEOUT_MS });
        await hostView.locator('.ensemble-join-request').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        const guestView = guest.widget('ensemble-participants');
        await guestView.locator('[data-peer-name="Hana"][data-role="host"]').waitFor({ timeout: UI_TIMEOUT_MS });
        await guestView.locator('[data-peer-name="Gus"][data-role="read-write"]').waitFor({ timeout: UI_TIMEOUT_MS });
        // Each participant shows a colour, and the two differ.
        const colors = await guestView.locator('.ensemble-participant-color').evaluateAll(elements => elements.map(element => (element as HTMLElement).style.backgroundColor));
        assert.equal(colors.length, 2);
        assert.notEqual(colors[0], colors[1]);
        // Where everyone is: the host opens a file and the guest sees it; the guest follows the host and the host sees that.
        await host.openFile('README.md');
        await guestView.locator('[data-peer-name="Hana"] .ensemble-participant-location', { hasText: 'README.md' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await guestView.locator('[data-peer-name="Hana"] button[data-action="follow"]').click();
        await guestView.locator('[data-peer-name="Hana"] button[data-action="unfollow"]').waitFor({ timeout: UI_TIMEOUT_MS });
        await hostView.locator('[data-peer-name="Gus"] .ensemble-participant-following', { hasText: 'following Hana' }).waitFor({ timeout: UI_TIMEOUT_MS });
        await host.screenshot('participants-view', { target: hostView });
        await guest.screenshot('participants-view', { target: guestView });
    });

    it('lets the host remove the guest, and tells the guest why', async () => {
        const guestMark = await guest.notificationMark();
        await host.widget('ensemble-participants').locator('[data-peer-name="Gus"] button[data-action="remove"]').click();
        await guest.waitForNotification(/The host removed you from the session\. Ask the host if you should join again\./, { since: guestMark });
        await guest.waitForStatusBarText(STATUS, /^\s*Ensemble\s*$/);
        await host.waitForStatusBarText(STATUS, /Hosting · 0 guests/);
        await host.widget('ensemble-participants').locator('[data-peer-name="Gus"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });

    it('lets the host deny a request, and tells the guest', async () => {
        await guestAsksToJoin('Eve');
        const guestMark = await guest.notificationMark();
        await host.clickNotificationAction('Eve wants to join your session.', 'Deny');
        await guest.waitForNotification(/The host declined your request to join\. Ask the host if you should try again\./, { since: guestMark });
        await guest.waitForStatusBarText(STATUS, /^\s*Ensemble\s*$/);
        await host.widget('ensemble-participants').locator('.ensemble-join-request').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });

    it('admits a guest read-only from the Participants view, which also closes the notification', async () => {
        await guestAsksToJoin('Rita');
        const guestMark = await guest.notificationMark();
        await host.widget('ensemble-participants').locator('.ensemble-join-request[data-request-name="Rita"] button[data-action="accept-read-only"]').click();
        await guest.waitForNotification(/You joined the session of Hana as a read-only guest/, { since: guestMark });
        await guest.waitForStatusBarText(STATUS, /Joined \(read-only\)/);
        await host.widget('ensemble-participants').locator('[data-peer-name="Rita"][data-role="read-only"]').waitFor({ timeout: UI_TIMEOUT_MS });
        await host.notification('Rita wants to join your session.').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        // The host gives write access; the guest is told.
        const beforeUpgrade = await guest.notificationMark();
        await host.widget('ensemble-participants').locator('[data-peer-name="Rita"] button[data-action="make-read-write"]').click();
        await guest.waitForNotification(/The host gave you write access/, { since: beforeUpgrade });
        await guest.waitForStatusBarText(STATUS, /^\s*Joined\s*$/);
    });

    it('lets a guest leave: it is out at once, the host no longer lists it, and it may ask to join again', async () => {
        const guestMark = await guest.notificationMark();
        await guest.runCommand('Ensemble: Leave Session');
        await guest.waitForNotification(/^You left the session\.$/, { since: guestMark });
        await guest.waitForStatusBarText(STATUS, /^\s*Ensemble\s*$/);
        await host.waitForStatusBarText(STATUS, /Hosting · 0 guests/);
        await host.widget('ensemble-participants').locator('[data-peer-name="Rita"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
        // The same invite still works: the guest asks again and the host lets it in.
        await guestAsksToJoin('Rita');
        await host.clickNotificationAction('Rita wants to join your session.', 'Accept');
        await guest.waitForStatusBarText(STATUS, /^\s*Joined\s*$/);
        await host.waitForStatusBarText(STATUS, /Hosting · 1 guest\b/);
    });

    it('ends the session from the host; the guest is told the host ended it', async () => {
        const guestMark = await guest.notificationMark();
        const hostMark = await host.notificationMark();
        await host.runCommand('Ensemble: End Session');
        await host.waitForNotification(/You ended the session; every guest was told\./, { since: hostMark });
        await guest.waitForNotification(/The host ended the session\. Ask the host for a new invite/, { since: guestMark });
        await guest.waitForStatusBarText(STATUS, /^\s*Ensemble\s*$/);
        await host.waitForStatusBarText(STATUS, /^\s*Ensemble\s*$/);
    });

    it('tells a guest whose invite points to a server that is not there', async () => {
        const mark = await guest.notificationMark();
        await guest.runCommand('Ensemble: Join Session');
        await guest.answerQuickInput('http://127.0.0.1:9/invite/ABCD-EFGH-JKLM', { expectTitle: /Join Session/ });
        await guest.answerQuickInput('Gus', { expectTitle: /Join Session/ });
        await guest.waitForNotification(/Could not join the session: the collaboration server at http:\/\/127\.0\.0\.1:9 cannot be reached/, { since: mark });
    });
});
