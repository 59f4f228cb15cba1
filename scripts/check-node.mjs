// Stops early, with a clear message, on a Node.js too old for Astro 7 and the runner.
// Written in plain old JavaScript so that it runs on any Node.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  const de = process.env.LANG && process.env.LANG.startsWith('de');
  console.error(
    de
      ? 'Dieser Workshop braucht Node.js 22.13 oder neuer, gefunden: ' + process.version + '. Installiere eine aktuelle LTS-Version von https://nodejs.org und starte erneut.'
      : 'This workshop needs Node.js 22.13 or newer, found ' + process.version + '. Install a current LTS from https://nodejs.org and try again.',
  );
  process.exit(1);
}
