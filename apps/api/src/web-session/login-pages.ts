/** Small HTML pages for the browser when a login cannot finish: German first, then English, with a way back. */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function loginProblemPage(title: { de: string; en: string }, reason: string): string {
  return `<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title.de)} – Prüfpfad</title></head>
<body>
<main>
<h1>${escape(title.de)}</h1>
<p>${escape(reason)}</p>
<p><a href="/">Zurück zur Startseite</a></p>
<hr>
<h2 lang="en">${escape(title.en)}</h2>
<p lang="en"><a href="/">Back to the start page</a></p>
</main>
</body>
</html>
`;
}

export const NOT_MAPPED_TITLE = { de: 'Kein Zugang zu Prüfpfad', en: 'No access to Prüfpfad' };
export const LOGIN_FAILED_TITLE = { de: 'Anmeldung fehlgeschlagen', en: 'Sign-in failed' };
