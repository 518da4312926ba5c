#!/usr/bin/env node
// Builds the Electron application's bundle without `theia build`'s prepare
// step, which downloads the Electron binary and ffmpeg: neither can be fetched
// on machines without general internet access, and the bundle does not need
// them. Runs the same generators `theia build` runs, then the generated
// esbuild configuration. Running the app still needs Electron installed.
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { ApplicationPackage } = require('@theia/application-package');
const { BundlerGenerator, BackendGenerator, FrontendGenerator } = require('@theia/application-manager/lib/generator');

async function main() {
    const projectPath = path.resolve(__dirname, '..');
    const mode = process.argv.includes('--mode=development') ? 'development' : 'production';
    const pck = new ApplicationPackage({ projectPath, appTarget: 'electron' });
    const options = { mode };
    await Promise.all([
        new BundlerGenerator(pck, options).generate(),
        new BackendGenerator(pck, options).generate(),
        new FrontendGenerator(pck, options).generate(),
    ]);
    fs.mkdirSync(pck.lib('frontend'), { recursive: true });
    fs.copyFileSync(pck.frontend('index.html'), pck.lib('frontend', 'index.html'));
    const esbuild = new BundlerGenerator(pck).esbuildPath;
    const result = spawnSync(process.execPath, [esbuild, `--mode=${mode}`], { cwd: projectPath, stdio: 'inherit' });
    if (result.status !== 0) {
        throw new Error(`esbuild exited with ${result.status ?? result.signal}`);
    }
    for (const file of ['backend/main.js', 'backend/electron-main.js', 'frontend/index.html']) {
        if (!fs.existsSync(pck.lib(...file.split('/')))) {
            throw new Error(`the bundle lacks lib/${file}`);
        }
    }
    console.log(`Electron bundle built in ${path.relative(process.cwd(), pck.lib()) || 'lib'} (${mode})`);
}

main().catch(error => {
    console.error(`Building the Electron bundle failed: ${error.message}`);
    process.exit(1);
});
