// The right-hand panel the inspector, the report and the import share: a title and a close button.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function SidePanel({ title, testId, className, onClose, children }: {
  title: string;
  testId: string;
  className: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <aside className={`panel side ${className}`} data-testid={testId}>
      <header>
        <h2>{title}</h2>
        <button type="button" className="close" onClick={onClose} aria-label={t('report.close')}>×</button>
      </header>
      {children}
    </aside>
  );
}
