import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * German first, English second: every text is written as a pair, `t('Arbeitsliste', 'Worklist')`, so the
 * German is what a reader of the code sees. The API's own messages come as "Deutsch / English"; `pick`
 * shows the half of the language in use. Dates are shown in de-DE (or en-GB) for Europe/Berlin.
 */
export type Language = 'de' | 'en';

interface LanguageContext {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
}

const STORAGE_KEY = 'pruefpfad.language';
const Context = createContext<LanguageContext>({ language: 'de', setLanguage: () => undefined });

function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

export function LanguageProvider({ children }: { readonly children: ReactNode }) {
  const [language, setState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setState(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  document.documentElement.lang = language;
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLanguage(): LanguageContext {
  return useContext(Context);
}

/** The half of an API message ("Deutsch / English") in the given language; the whole text if not split. */
export function pickLanguage(message: string, language: Language): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  return (language === 'de' ? parts[0] : parts[1])!.trim();
}

export interface Texts {
  readonly language: Language;
  readonly t: (german: string, english: string) => string;
  readonly pick: (message: string) => string;
  /** A calendar date (yyyy-mm-dd) or instant, as people in Germany read it. */
  readonly date: (value: string) => string;
  readonly month: (value: string) => string;
}

export function useTexts(): Texts {
  const { language } = useLanguage();
  return useMemo(() => {
    const locale = language === 'de' ? 'de-DE' : 'en-GB';
    const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Berlin', dateStyle: 'medium' });
    const monthFormat = new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Berlin', month: 'long', year: 'numeric' });
    // A plain date is a calendar day in Berlin: noon UTC of that day is that day in Berlin too.
    const instant = (value: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
    return {
      language,
      t: (german: string, english: string) => (language === 'de' ? german : english),
      pick: (message: string) => pickLanguage(message, language),
      date: (value: string) => dateFormat.format(instant(value)),
      month: (value: string) => monthFormat.format(instant(`${value}-15`)),
    };
  }, [language]);
}
