/** A health verdict in an icon, words and colour together — never colour alone. */
import type { Severity } from '../../shared/health.ts';
import { useI18n } from '../i18n.tsx';

const ICON: Record<Severity, string> = { normal: '✓', watch: '●', abnormal: '▲', urgent: '⚠' };

export function LevelBadge({ level }: { level: string }) {
  const { t } = useI18n();
  const l = (level in ICON ? level : 'normal') as Severity;
  return (
    <span class={`badge level-${l}`} data-level={l}>
      {ICON[l]} {t(`severity.${l}`)}
    </span>
  );
}
