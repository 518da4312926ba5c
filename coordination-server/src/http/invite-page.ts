import type { ServerResponse } from 'node:http';

/**
 * Invite links have the form `<server URL>/invite/<code>` (the IDE's Join
 * Session reads them). Opened in a browser, the server answers with a short
 * page that says what the link is for, instead of a JSON 404.
 */
export const INVITE_PAGE_PATH = /\/invite\/([A-Za-z0-9-]{1,128})$/;

export function sendInvitePage(response: ServerResponse, code: string): void {
    const safeCode = code.replace(/[^A-Za-z0-9-]/g, '');
    const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ensemble invite ${safeCode}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>Ensemble session invite</h1>
<p>This link invites you to a collaboration session (code <code>${safeCode}</code>).</p>
<p>To join, open your Theia IDE with Ensemble, run <strong>Ensemble: Join Session</strong> from the command palette,
and paste this page's address. The host then lets you in.</p>
</body></html>
`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
}
