/** A table wider than the phone scrolls inside its own box (reachable by keyboard), never the page. */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n.tsx';

export function TableScroll({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('app.tableScroll')}>
      {children}
    </div>
  );
}
