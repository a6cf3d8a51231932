// Saves text the page made (an export) as a file the browser downloads.
export function downloadFile(name: string, text: string | Uint8Array, type: string) {
  const url = URL.createObjectURL(new Blob([text as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
