import * as assert from 'node:assert/strict';
import {
    eventually, openTerminal, SESSION_STATUS_ID, terminalDiagnostics, UI_TIMEOUT_MS, useCollaborationSession, userTerminals
} from './harness';

/**
 * A terminal the host has not shown since its tab reloaded: Theia restores
 * it behind another one and reconnects it to its shell, but keeps what the
 * shell printed out of the terminal's screen until the terminal is first
 * shown. Sharing it must still give the guest that output.
 */
describe('e2e: sharing a terminal the host has not shown since reloading (host + guest)', function (): void {
    this.timeout(300_000);

    const session = useCollaborationSession({
        host: { name: 'bgterm-host', displayName: 'Hana', autoAccept: 'read-write' },
        guests: [{ name: 'bgterm-ana', displayName: 'Ana' }]
    });

    it('gives the guest what the terminal printed before the reload, though the host has not shown it since', async () => {
        const { host, guests: [guest] } = session.current;
        // The app may start with terminals of its own: this test's is told apart by its title.
        const TITLE = 'background-job';
        await openTerminal(host.page);
        const first = host.page.page.locator('.terminal-container:not(.lm-mod-hidden) .xterm').first();
        await first.click();
        await host.page.page.keyboard.type(`printf '\\033]0;${TITLE}\\007'; echo in-the-background-$((5*5))`, { delay: 10 });
        await host.page.page.keyboard.press('Enter');
        await eventually(async () => (await userTerminals(host.page)).some(terminal => terminal.title === TITLE && terminal.text.includes('in-the-background-25')),
            'the terminal ran the command and took its title');
        await openTerminal(host.page); // in front of it

        await host.page.page.reload();
        await host.page.waitUntilReady();
        await host.page.waitForStatusBarText(SESSION_STATUS_ID, /Hosting · 1 guest$/, 60_000);
        await guest.page.waitForStatusBarText(SESSION_STATUS_ID, /^\s*Joined\s*$/, 60_000);
        await eventually(async () => (await userTerminals(host.page)).some(terminal => terminal.title === TITLE), 'the host\'s terminal is restored');
        const restored = (await userTerminals(host.page)).find(terminal => terminal.title === TITLE)!;
        assert.equal(restored.visible, false, 'it is behind the other one');
        assert.equal(restored.text, '', 'it has not drawn anything since the reload');

        const guestMark = await guest.page.notificationMark();
        await host.page.runCommand('Ensemble: Share Terminal...');
        await host.page.page.locator('.quick-input-widget .quick-input-title', { hasText: /^Share Terminal$/ }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await host.page.pickQuickItem(TITLE);
        await host.page.page.locator('.quick-input-widget .quick-input-title', { hasText: /^Share ".*" as$/ }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        await host.page.pickQuickItem('Read-only');
        await eventually(async () => (await userTerminals(host.page)).some(terminal => terminal.title === TITLE && terminal.shareId !== undefined),
            'the terminal behind is shared');

        await guest.page.waitForNotification(/Hana shares the terminal .* \(read-only; you can watch it\)/, { since: guestMark });
        await guest.page.clickNotificationAction(/Hana shares the terminal/, 'Open');
        await eventually(async () => ((await terminalDiagnostics(guest.page, d => d.views()))[0]?.text ?? '').includes('in-the-background-25'),
            'the guest\'s view shows what the terminal printed before the reload');
        await guest.page.screenshot('terminal-background-shared');
    });
});
