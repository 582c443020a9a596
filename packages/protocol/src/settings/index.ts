/**
 * @sightline/protocol/settings: how the Sightline servers read their settings (docs/configuration.md). For the
 * servers and the CLI; it depends on zod, which the root entry does not.
 */
export {
  SHARED_SETTINGS,
  SettingError,
  decimal,
  list,
  maskUrlCredentials,
  oneOf,
  onOff,
  readSettings,
  required,
  settingFlag,
  settingsFlagOptions,
  settingsHelp,
  text,
  urlSetting,
  wholeNumber,
  type ReadSettingsOptions,
  type SettingSchema,
  type SettingSpec,
  type SettingsTable,
  type SettingsValues,
} from './settings.ts';
