import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import {
    Cleanup, joinSession, screenshotOnFailure, SESSION_STATUS_ID, startCollaborationSession, startPeer, UI_TIMEOUT_MS, type RunningPeer, type TheiaPage
} from './harness';

/**
 * Chat and peer status end to end with three real apps: the host (Hana) and
 * a guest (Gus) chat; the host's Chat tab counts the unread message while
 * the view is hidden, the Participants view shows Gus typing; markup stays
 * text; then a late joiner (Lu) gets the earlier messages from the host, in
 * order, and opens the host's file at the line a message links to. Last, an
 * @mention notifies a guest whose chat is hidden, a command running in the
 * host's terminal and its debug session show in the guests' Participants
 * view, and a host that reloads its tab comes back with the whole history
 * and chats on.
 */
describe('e2e: chat and peer status (host + guest, then a late joiner)', function (): void {
    this.timeout(400_000);

    const FILE = 'src/app.ts';
    /** A toy program for the test fixtures' debug adapter (fixtures/test-debug-adapter). */
    const DEBUG_FILE = 'main.ensdebug';
    const DEBUG_PROGRAM = ['# a toy program for the test debug adapter', 'let a = 2', 'let b = a * 3', 'print a + b', ''].join('\n');
    const LAUNCH = JSON.stringify({
        version: '0.2.0',
        configurations: [{ type: 'ensemble-test', request: 'launch', name: 'Run toy program', program: '${workspaceFolder}/main.ensdebug' }]
    });
    const LINK_LINE = 15;
    const FIRST = `Hello from Gus, see ${FILE}:${LINK_LINE}`;
    const REPLY = '<b>not bold</b> & <img src=x onerror=alert(1)> fine';
    const cleanup = new Cleanup();
    let host: RunningPeer;
    let gus: RunningPeer;
    let lu: RunningPeer;
    let inviteLink: string;

    before(async function (): Promise<void> {
        this.timeout(400_000);
        const appText = Array.from({ length: 30 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n') + '\n';
        const [session, late] = await Promise.all([
            startCollaborationSession(cleanup, {
                host: {
                    name: 'chat-host', displayName: 'Hana',
                    files: { [FILE]: appText, [DEBUG_FILE]: DEBUG_PROGRAM, '.theia/launch.json': LAUNCH },
                    env: { ENSEMBLE_TEST_FIXTURES: '1' }
                },
                guests: [{ name: 'chat-gus', displayName: 'Gus' }]
            }),
            startPeer(cleanup, { name: 'chat-lu', displayName: 'Lu' })
        ]);
        ({ host, inviteLink } = session);
        gus = session.guests[0];
        lu = late;
    });

    after(() => cleanup.disposeAll());

    afterEach(async function (): Promise<void> {
        await screenshotOnFailure(this.currentTest, [host?.page, gus?.page, lu?.page]);
    });

    function chat(page: TheiaPage): Locator {
        return page.widget('ensemble-chat');
    }

    function input(page: TheiaPage): Locator {
        return chat(page).locator('textarea.ensemble-chat-input:not([disabled])');
    }

    async function showChat(page: TheiaPage): Promise<void> {
        await page.runCommand('Ensemble: Show Chat');
        await input(page).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    }

    function message(page: TheiaPage, author: string, text: string): Locator {
        return chat(page).locator(`.ensemble-chat-message[data-author="${author}"] .ensemble-chat-text`, { hasText: text });
    }

    async function texts(page: TheiaPage): Promise<string[]> {
        return chat(page).locator('.ensemble-chat-message .ensemble-chat-text').allTextContents();
    }

    /** Makes the page's window look hidden (another tab, minimised) or visible again, as the browser tells the page. */
    async function setHidden(page: TheiaPage, hidden: boolean): Promise<void> {
        await page.page.evaluate(isHidden => {
            Object.defineProperty(document, 'visibilityState', { value: isHidden ? 'hidden' : 'visible', configurable: true });
            document.dispatchEvent(new Event('visibilitychange'));
        }, hidden);
    }

    /** Keeps `page` typing (a space, then Backspace: the draft stays the same) until `seen` shows, so the typing status never goes idle meanwhile. */
    async function keepTypingUntil(page: TheiaPage, seen: Locator): Promise<void> {
        const deadline = Date.now() + UI_TIMEOUT_MS * 2;
        while (!await seen.isVisible()) {
            assert.ok(Date.now() < deadline, `timed out waiting for ${seen.toString()}`);
            await input(page).press(' ');
            await input(page).press('Backspace');
            await page.page.waitForTimeout(500);
        }
    }

    it('host and guest chat: the hidden view counts unread, the participants view shows typing, markup stays text', async () => {
        await showChat(gus.page);
        await input(gus.page).fill(FIRST);
        // The host's Participants view opened with the session; the Chat view is there but not in front.
        const typing = host.page.widget('ensemble-participants').locator('[data-peer-name="Gus"] .ensemble-participant-activities', { hasText: 'typing in chat' });
        await keepTypingUntil(gus.page, typing);
        await input(gus.page).press('Enter');
        await message(gus.page, 'Gus', FIRST).waitFor({ timeout: UI_TIMEOUT_MS });
        assert.equal(await input(gus.page).inputValue(), '', 'the box is empty once sent');
        assert.match(await chat(gus.page).locator('.ensemble-chat-own .ensemble-chat-you').first().textContent() ?? '', /\(you\)/);

        const badge = host.page.page.locator('#shell-tab-ensemble-chat .theia-badge-decorator-sidebar', { hasText: /^1$/ });
        await badge.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await host.page.screenshot('chat-unread-badge');
        await showChat(host.page);
        await message(host.page, 'Gus', FIRST).waitFor({ timeout: UI_TIMEOUT_MS });
        await badge.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

        // Shift+Enter is a new line, Enter sends.
        await input(host.page).fill('<b>not bold</b>');
        await input(host.page).press('Shift+Enter');
        assert.equal(await input(host.page).inputValue(), '<b>not bold</b>\n');
        await input(host.page).fill(REPLY);
        await input(host.page).press('Enter');
        await message(gus.page, 'Hana', REPLY).waitFor({ timeout: UI_TIMEOUT_MS });
        assert.equal(await chat(gus.page).locator('.ensemble-chat-text b, .ensemble-chat-text img').count(), 0, 'markup is shown as text, never rendered');
        const time = chat(gus.page).locator('.ensemble-chat-message[data-author="Hana"] time');
        assert.match(await time.textContent() ?? '', /\d/);
        assert.match(await time.getAttribute('title') ?? '', /\d{4}|\d{1,2}\/\d{1,2}\//, 'the full date on hover');
        assert.deepEqual(await texts(gus.page), [FIRST, REPLY]);
        assert.deepEqual(await texts(host.page), [FIRST, REPLY]);

        // The chat lists who is there, with the built-in statuses: Gus's window hidden makes him "away" for the host.
        const gusInHostChat = chat(host.page).locator('.ensemble-chat-people [data-peer-name="Gus"]');
        await gusInHostChat.waitFor({ timeout: UI_TIMEOUT_MS });
        await setHidden(gus.page, true);
        await chat(host.page).locator('.ensemble-chat-people [data-peer-name="Gus"].ensemble-chat-away', { hasText: 'away' })
            .waitFor({ timeout: UI_TIMEOUT_MS });
        await setHidden(gus.page, false);
        await chat(host.page).locator('.ensemble-chat-people [data-peer-name="Gus"]:not(.ensemble-chat-away)').waitFor({ timeout: UI_TIMEOUT_MS });
    });

    it('a late joiner sees the earlier messages in order, is seen typing, and opens the host\'s file at the linked line (so does the host)', async () => {
        await joinSession(lu.page, inviteLink);
        await showChat(lu.page);
        await message(lu.page, 'Hana', REPLY).waitFor({ timeout: UI_TIMEOUT_MS });
        assert.deepEqual(await texts(lu.page), [FIRST, REPLY]);

        await input(lu.page).fill('Thanks, looking');
        await keepTypingUntil(lu.page, chat(host.page).locator('.ensemble-chat-typing', { hasText: 'Lu is typing…' }));
        await input(lu.page).press('Enter');
        for (const peer of [host, gus, lu]) {
            await message(peer.page, 'Lu', 'Thanks, looking').waitFor({ timeout: UI_TIMEOUT_MS });
            assert.deepEqual(await texts(peer.page), [FIRST, REPLY, 'Thanks, looking']);
        }
        await host.page.page.waitForFunction(() => document.querySelector('#ensemble-chat .ensemble-chat-typing')?.textContent === '', undefined,
            { timeout: UI_TIMEOUT_MS });
        await lu.page.screenshot('chat-view', { target: chat(lu.page) });

        await message(lu.page, 'Gus', FIRST).locator('a.ensemble-chat-file-link', { hasText: `${FILE}:${LINK_LINE}` }).click();
        await lu.page.page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: 'app.ts' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await lu.page.waitForStatusBarText('editor-status-cursor-position', new RegExp(`Ln ${LINK_LINE}, Col 1\\b`));
        await lu.page.page.locator('#theia-main-content-panel .monaco-editor .view-lines', { hasText: `line${LINK_LINE} = ${LINK_LINE}` }).first()
            .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await lu.page.screenshot('chat-link-opened');

        // The same link on the host opens its own file (file:), at the same line.
        await message(host.page, 'Gus', FIRST).locator('a.ensemble-chat-file-link', { hasText: `${FILE}:${LINK_LINE}` }).click();
        await host.page.page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: 'app.ts' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await host.page.waitForStatusBarText('editor-status-cursor-position', new RegExp(`Ln ${LINK_LINE}, Col 1\\b`));
    });

    it('an @mention notifies a guest whose Chat view is not in front', async () => {
        await gus.page.runCommand('Ensemble: Toggle Participants View');
        await chat(gus.page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
        const mark = await gus.page.notificationMark();
        await input(host.page).fill('@Gus the build runs in my terminal');
        await input(host.page).press('Enter');
        await gus.page.waitForNotification(/Hana mentioned you in chat: @Gus the build runs in my terminal/, { since: mark });
    });

    it('a command running in the host\'s terminal shows in a guest\'s Participants view, and goes away when it ends', async () => {
        const running = gus.page.widget('ensemble-participants')
            .locator('[data-peer-name="Hana"] .ensemble-participant-activities', { hasText: 'running a command in a terminal' });
        await host.page.runCommand('Terminal: Create New Terminal');
        const terminal = host.page.page.locator('.terminal-container .xterm').first();
        const deadline = Date.now() + UI_TIMEOUT_MS * 2;
        while (!await terminal.isVisible()) {
            assert.ok(Date.now() < deadline, 'timed out waiting for the host\'s terminal');
            if (await host.page.page.locator('.quick-input-widget').isVisible()) {
                await host.page.page.keyboard.press('Enter'); // the shell profile, if asked
            }
            await host.page.page.waitForTimeout(500);
        }
        // Keystrokes typed before the shell is up may be lost: type the command again until the guest sees it running.
        for (let attempt = 1; !await running.isVisible(); attempt++) {
            assert.ok(attempt <= 4, 'the guest never saw the host\'s command running');
            await terminal.click();
            await host.page.page.keyboard.type('sleep 300\n');
            await running.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).catch(() => undefined);
        }
        await gus.page.screenshot('participants-terminal-running', { target: gus.page.widget('ensemble-participants') });
        // Ctrl+C until it is gone: a command typed again above may be queued behind the first one.
        for (let attempt = 1; await running.isVisible(); attempt++) {
            assert.ok(attempt <= 5, 'the guest still sees the host\'s command running after Ctrl+C');
            await terminal.click();
            await host.page.page.keyboard.press('Control+C');
            await running.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS / 2 }).catch(() => undefined);
        }
    });

    it('a debug session on the host shows as "debugging" in a guest\'s Participants view, until it stops', async () => {
        const debugging = gus.page.widget('ensemble-participants')
            .locator('[data-peer-name="Hana"] .ensemble-participant-activities', { hasText: 'debugging' });
        await host.page.openFile(DEBUG_FILE);
        const editor = host.page.page.locator('#theia-main-content-panel .lm-DockPanel-widget:not(.lm-mod-hidden) .monaco-editor').first();
        await editor.locator('.view-line', { hasText: 'print a + b' }).click();
        await host.page.page.keyboard.press('F9');
        // A breakpoint keeps the program stopped (and the debug session open) for as long as the test looks.
        await editor.locator('.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified').first().waitFor({ timeout: UI_TIMEOUT_MS });
        await host.page.runCommand('Debug: Start Debugging');
        await editor.locator('.theia-debug-top-stack-frame-line').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS * 2 });
        // The guest's Debug view comes to front (it mirrors the host's session): the Participants view is behind it, rendered.
        await debugging.waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
        await host.page.runCommand('Debug: Stop');
        await debugging.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });

    it('the host reloads into its session with its history: everyone keeps the earlier messages, and the chat goes on', async () => {
        const before = await texts(gus.page);
        await host.page.page.reload();
        await host.page.waitUntilReady();
        await host.page.waitForStatusBarText(SESSION_STATUS_ID, /Hosting · 2 guests$/, 60_000);
        await gus.page.waitForStatusBarText(SESSION_STATUS_ID, /^\s*Joined\s*$/, 60_000);
        await showChat(host.page);
        await showChat(gus.page);
        await input(host.page).fill('back after a reload');
        await input(host.page).press('Enter');
        await message(gus.page, 'Hana', 'back after a reload').waitFor({ timeout: UI_TIMEOUT_MS });
        await input(gus.page).fill('welcome back');
        await input(gus.page).press('Enter');
        await message(host.page, 'Gus', 'welcome back').waitFor({ timeout: UI_TIMEOUT_MS });
        await message(gus.page, 'Gus', 'welcome back').waitFor({ timeout: UI_TIMEOUT_MS });
        assert.deepEqual(await texts(gus.page), [...before, 'back after a reload', 'welcome back']);
        assert.deepEqual(await texts(host.page), [...before, 'back after a reload', 'welcome back'], 'the reloaded host kept its history');
    });
});
