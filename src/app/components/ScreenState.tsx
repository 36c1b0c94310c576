/** A screen while its record loads, and a screen whose record is not on this phone; and the way back. */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';

export function Loading() {
  const { t } = useI18n();
  return (
    <main class="screen" aria-busy="true">
      {t('app.loading')}
    </main>
  );
}

export function Missing({ children }: { children: ComponentChildren }) {
  return (
    <main class="screen">
      <p>{children}</p>
    </main>
  );
}

export function BackLink({ href }: { href: string }) {
  const { t } = useI18n();
  return (
    <Link href={href} class="back">
      ‹ {t('app.back')}
    </Link>
  );
}
