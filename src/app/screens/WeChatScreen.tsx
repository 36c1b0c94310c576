/**
 * Opened inside WeChat's own browser (a link from a WeChat group), the app says in one
 * screen, with pictures, how to open it in the phone's browser and add it to the home screen:
 * WeChat cannot install it and may clear what it stores, and a volunteer's records must not
 * live there. The residents' public request page is its own page, made for WeChat, and exempt.
 */
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n.tsx';

/** The "···" menu at WeChat's top right, the button to tap first. */
function MenuPicture() {
  return (
    <svg viewBox="0 0 240 96" width="240" height="96" role="img" aria-hidden="true" class="wechat-picture">
      <rect x="1" y="1" width="238" height="94" rx="10" fill="#fff" stroke="#555" stroke-width="2" />
      <rect x="1" y="1" width="238" height="34" rx="10" fill="#ededed" stroke="#555" stroke-width="2" />
      <text x="16" y="24" font-size="16" fill="#333">
        ✕ 邻里 Linli
      </text>
      <circle cx="196" cy="18" r="3.5" fill="#111" />
      <circle cx="206" cy="18" r="3.5" fill="#111" />
      <circle cx="216" cy="18" r="3.5" fill="#111" />
      <circle cx="206" cy="18" r="16" fill="none" stroke="#b3261e" stroke-width="3" />
      <path d="M206 38 L196 60 L216 60 Z" fill="#b3261e" />
      <text x="120" y="84" font-size="15" text-anchor="middle" fill="#b3261e">
        ① ···
      </text>
    </svg>
  );
}

/** WeChat's menu sheet, with "open in browser" marked. */
function BrowserPicture() {
  return (
    <svg viewBox="0 0 240 96" width="240" height="96" role="img" aria-hidden="true" class="wechat-picture">
      <rect x="1" y="1" width="238" height="94" rx="10" fill="#f4f4f4" stroke="#555" stroke-width="2" />
      <rect x="18" y="18" width="44" height="44" rx="8" fill="#fff" stroke="#999" />
      <rect x="76" y="18" width="44" height="44" rx="8" fill="#fff" stroke="#999" />
      <rect x="134" y="18" width="44" height="44" rx="8" fill="#fff" stroke="#b3261e" stroke-width="3" />
      <circle cx="156" cy="40" r="13" fill="none" stroke="#1a5fb4" stroke-width="3" />
      <path d="M143 40 H169 M156 27 V53" stroke="#1a5fb4" stroke-width="2" />
      <text x="156" y="84" font-size="14" text-anchor="middle" fill="#b3261e">
        ② 🌐
      </text>
    </svg>
  );
}

/** The browser's menu with "add to home screen". */
function HomePicture() {
  return (
    <svg viewBox="0 0 240 96" width="240" height="96" role="img" aria-hidden="true" class="wechat-picture">
      <rect x="1" y="1" width="238" height="94" rx="10" fill="#fff" stroke="#555" stroke-width="2" />
      <rect x="20" y="16" width="56" height="56" rx="12" fill="#b3261e" />
      <text x="48" y="52" font-size="20" text-anchor="middle" fill="#fff">
        邻里
      </text>
      <path d="M92 44 H140" stroke="#555" stroke-width="3" />
      <path d="M140 36 L152 44 L140 52 Z" fill="#555" />
      <rect x="162" y="20" width="60" height="48" rx="8" fill="#f4f4f4" stroke="#b3261e" stroke-width="3" />
      <text x="192" y="50" font-size="22" text-anchor="middle" fill="#b3261e">
        ＋
      </text>
      <text x="120" y="88" font-size="14" text-anchor="middle" fill="#b3261e">
        ③
      </text>
    </svg>
  );
}

export default function WeChatScreen({ onAnyway }: { onAnyway: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const link = location.origin + location.pathname;
  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }
  return (
    <main class="screen wechat" data-testid="wechat">
      <h1>{t('wechat.title')}</h1>
      <p>{t('wechat.why')}</p>
      <ol class="wechat-steps">
        <li>
          <MenuPicture />
          <p>{t('wechat.step1')}</p>
        </li>
        <li>
          <BrowserPicture />
          <p>{t('wechat.step2')}</p>
        </li>
        <li>
          <HomePicture />
          <p>{t('wechat.step3')}</p>
        </li>
      </ol>
      <p>{t('wechat.orCopy')}</p>
      <p class="wechat-link">
        <code>{link}</code>
      </p>
      <p class="form-actions">
        <button type="button" class="primary" onClick={() => void copy()}>
          {t('wechat.copy')}
        </button>
      </p>
      {copied === 'yes' ? (
        <p class="notice" role="status">
          ✓ {t('wechat.copied')}
        </p>
      ) : copied === 'no' ? (
        <p class="notice" role="status">
          {t('wechat.copyFailed')}
        </p>
      ) : null}
      <p>
        <button type="button" class="secondary" onClick={onAnyway}>
          {t('wechat.anyway')}
        </button>
      </p>
    </main>
  );
}
