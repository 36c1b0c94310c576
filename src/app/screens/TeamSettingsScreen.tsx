/**
 * The team's working settings, set by a coordinator — offline too, synced like any record:
 * the grids (网格) volunteers choose from when they register a household, and the department
 * an urgent medical need from a health check goes to, how service hours are rounded, and
 * whether an item that was not fixed pays the standard tier's service fee (issue 24).
 */
import { useState } from 'preact/hooks';
import { observeSession, observeTeamSettings, saveTeamSettings, syncSoon, type TeamSettings } from '../../data/index.ts';
import { DEFAULT_ROUNDING_MINUTES, ROUNDING_CHOICES } from '../../shared/hours.ts';
import { MAX_GRIDS, parseGridList } from '../../shared/team-settings.ts';
import { STANDARD_SERVICE_FEE_FEN } from '../../shared/repair-fees.ts';
import { Choice } from '../components/Choices.tsx';
import { Done } from '../components/Alert.tsx';
import { TextField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';

interface Draft {
  grids: string;
  urgentDepartment: string;
  hoursRoundingMinutes: TeamSettings['hoursRoundingMinutes'];
  serviceFeeIfNotFixed: boolean;
}
const fromSettings = (s: TeamSettings): Draft => ({
  grids: s.grids.join('\n'),
  urgentDepartment: s.urgentDepartment,
  hoursRoundingMinutes: s.hoursRoundingMinutes,
  serviceFeeIfNotFixed: s.serviceFeeIfNotFixed,
});

export default function TeamSettingsScreen() {
  const i18n = useI18n();
  const { t, formatMoney } = i18n;
  const session = useObservable(observeSession, []);
  const current = useObservable(observeTeamSettings, []);
  const { draft, update, setDirty, loaded } = useDraft<TeamSettings, Draft>(
    () => ({ grids: '', urgentDepartment: '', hoursRoundingMinutes: DEFAULT_ROUNDING_MINUTES, serviceFeeIfNotFixed: false }),
    current,
    fromSettings,
  );
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  const [saved, setSaved] = useState('');
  if (session?.user?.role === 'volunteer') return <Missing>{t('settings.coordinatorOnly')}</Missing>;
  if (!current || !loaded) return <Loading />;

  function submit(e: Event) {
    e.preventDefault();
    setSaved('');
    save(
      () =>
        saveTeamSettings({
          grids: parseGridList(draft.grids),
          urgentDepartment: draft.urgentDepartment,
          hoursRoundingMinutes: draft.hoursRoundingMinutes,
          serviceFeeIfNotFixed: draft.serviceFeeIfNotFixed,
        }),
      (r) => (setSaved(t('settings.saved', { count: r.record.grids.length })), syncSoon()),
    );
  }
  const grids = parseGridList(draft.grids);
  return (
    <main class="screen">
      <BackLink href="/team" />
      <h1>{t('settings.title')}</h1>
      <form onSubmit={submit} noValidate>
        <TextField
          id="grids"
          label={t('settings.grids')}
          hint={t('settings.gridsHint', { max: MAX_GRIDS })}
          error={errors.grids}
          rows={5}
          value={draft.grids}
          onChange={(grids) => update({ grids })}
          max={MAX_GRIDS * 22}
          optional
        />
        {grids.length > 0 ? (
          <p class="hint" data-testid="grid-preview">
            {t('settings.gridsPreview', { count: grids.length, list: grids.join(' · ') })}
          </p>
        ) : null}
        <TextField
          id="urgentDepartment"
          label={t('settings.urgentDepartment')}
          hint={t('settings.urgentDepartmentHint')}
          error={errors.urgentDepartment}
          value={draft.urgentDepartment}
          onChange={(urgentDepartment) => update({ urgentDepartment })}
          max={100}
          optional
        />
        <Choice
          name="hoursRoundingMinutes"
          legend={t('settings.rounding')}
          options={ROUNDING_CHOICES.map(String) as ('15' | '30' | '60')[]}
          label={(m) => t('settings.roundingStep', { minutes: m })}
          value={String(draft.hoursRoundingMinutes) as '15' | '30' | '60'}
          onChange={(m) => update({ hoursRoundingMinutes: Number(m) as Draft['hoursRoundingMinutes'] })}
        />
        <fieldset class="group" aria-describedby="repair-rules-hint">
          <legend>{t('settings.repairRules')}</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={draft.serviceFeeIfNotFixed}
              onChange={(e) => update({ serviceFeeIfNotFixed: (e.target as HTMLInputElement).checked })}
            />{' '}
            {t('settings.serviceFeeIfNotFixed', { fee: formatMoney(STANDARD_SERVICE_FEE_FEN) })}
          </label>
          <p class="hint" id="repair-rules-hint">
            {t('settings.serviceFeeHint', { fee: formatMoney(STANDARD_SERVICE_FEE_FEN) })} {t('settings.smallItemWeights')}
          </p>
        </fieldset>
        <Done text={saved} />
        <FormFooter failure={failure} busy={busy} cancelHref="/team" />
      </form>
    </main>
  );
}
