/**
 * What the readings earned against the team's thresholds: each flag with an icon, words and
 * colour (never colour alone), the worst first, and always the reminder that a flag is not a
 * diagnosis.
 */
import type { Flag, Severity } from '../../shared/health.ts';
import { useI18n } from '../i18n.tsx';
import { LevelBadge } from './LevelBadge.tsx';

export function FlagList({ flags, level }: { flags: readonly Flag[]; level: Severity }) {
  const { t } = useI18n();
  return (
    <div class={`flags level-box-${level}`} data-testid="flags" data-level={level}>
      <p>
        <LevelBadge level={level} />
      </p>
      {flags.length === 0 ? (
        <p>{t('check.allNormal')}</p>
      ) : (
        <ul>
          {flags.map((f) => (
            <li key={f.code} data-flag={f.code}>
              {/* each warning once: the check's level is said above; a flag says its own only where it differs */}
              {f.severity === level ? null : <LevelBadge level={f.severity} />} {t(`flag.${f.code}`)}
            </li>
          ))}
        </ul>
      )}
      <p class="hint">{t('check.notDiagnosis')}</p>
    </div>
  );
}
