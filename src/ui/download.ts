// Saves text the page made (an export) as a file the browser downloads; on the office server
// it is put on the audit trail too (`kind`: what it is; by default its file type).
import { recordExport } from './exportRecord';

export function downloadFile(name: string, text: string | Uint8Array, type: string, kind = `file_${name.split('.').pop() ?? ''}`) {
  const url = URL.createObjectURL(new Blob([text as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  recordExport(kind, name);
}
