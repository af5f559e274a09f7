// Progressive enhancement only: every page works without this file.
// Copy buttons: <button data-copy="ID"> copies the text of the element with that id.
// Links with role="button" also answer the Space key, as buttons do.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const text = source.textContent.trim();
  try {
    await navigator.clipboard.writeText(text);
  } catch (notAllowed) {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.execCommand('copy');
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = label; }, 1500);
});
document.addEventListener('keydown', (event) => {
  const link = event.target.closest && event.target.closest('a[role="button"]');
  if (link && event.key === ' ') {
    event.preventDefault();
    link.click();
  }
});
