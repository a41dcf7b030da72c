/**
 * `prodsprint config list | get <key> | set <key> <url> [--credential-ref env:NAME] | unset <key>`:
 * the settings of an air-gapped site (issue 14), over the config.* operations. Credentials are
 * given by reference only; a URL with a user or password in it is refused by the contract.
 */
import type { Command } from 'commander';
import {
  SETTING_KEYS,
  SETTINGS,
  type MirrorSetting,
  type SettingInfo,
  type SettingKey,
} from '../../engine/contract/config.contract.ts';
import type { CommandRunner, FlagNames } from '../command-runner.ts';

const FLAGS: FlagNames = {
  key: '<key>',
  'value.url': '<url>',
  'value.credentialRef': '--credential-ref',
  value: '<url>',
};

const KEYS_HELP = [
  '',
  'Settings:',
  ...SETTING_KEYS.map(
    (key) =>
      `  ${key.padEnd(16)} ${SETTINGS[key].description}\n  ${''.padEnd(16)} e.g. prodsprint config set ${key} ${SETTINGS[key].example}`,
  ),
  '',
  'A mirror that needs a credential names an environment variable holding a token (sent as',
  'Bearer) or user:password (sent as Basic):',
  `  prodsprint config set mirrors.npm ${SETTINGS['mirrors.npm'].example} --credential-ref env:NPM_MIRROR_TOKEN`,
].join('\n');

function describeValue(value: MirrorSetting | null): string {
  if (!value) return '(not set)';
  return value.credentialRef ? `${value.url}  (credential: ${value.credentialRef})` : value.url;
}

function renderSetting(setting: SettingInfo): string {
  return `${setting.key.padEnd(16)} ${describeValue(setting.value)}`;
}

export function registerConfig(program: Command, run: CommandRunner): void {
  const config = program
    .command('config')
    .description('settings: the registry mirror for FROM images and the package mirrors for builds')
    .addHelpText('after', KEYS_HELP);

  config
    .command('list')
    .description('every setting, with its value or (not set)')
    .action((_options, command: Command) =>
      run(command, async ({ engine, emit }) => {
        const result = await engine.invoke('config.list', {});
        emit(result, ({ settings }) => settings.map(renderSetting).join('\n'));
        return 0;
      }),
    );

  config
    .command('get')
    .description('one setting')
    .argument('<key>', `one of ${SETTING_KEYS.join(', ')}`)
    .action((key: string, _options, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          // The engine checks the key against the contract and lists the known ones.
          const setting = await engine.invoke('config.get', { key: key as SettingKey });
          emit(setting, renderSetting);
          return 0;
        },
        FLAGS,
      ),
    );

  config
    .command('set')
    .description('set a mirror (the change is audited; the credential stays in the environment)')
    .argument('<key>', `one of ${SETTING_KEYS.join(', ')}`)
    .argument('<url>', 'the mirror: http(s)://host[:port]/path, no user or password in it')
    .option(
      '--credential-ref <ref>',
      'env:NAME: the environment variable holding a token, or user:password',
    )
    .addHelpText('after', KEYS_HELP)
    .action((key: string, url: string, options: { credentialRef?: string }, command: Command) =>
      run(
        command,
        async ({ engine, emit, progress }) => {
          const result = await engine.invoke('config.set', {
            key: key as SettingKey,
            value: {
              url,
              ...(options.credentialRef ? { credentialRef: options.credentialRef } : {}),
            },
          });
          for (const warning of result.warnings) progress(`warning: ${warning}`);
          emit(
            result,
            (r) =>
              `Set ${r.key} to ${describeValue(r.value)}${r.previous ? ` (was ${describeValue(r.previous)})` : ''}`,
          );
          return 0;
        },
        FLAGS,
      ),
    );

  config
    .command('unset')
    .description('remove a setting (the change is audited)')
    .argument('<key>', `one of ${SETTING_KEYS.join(', ')}`)
    .action((key: string, _options, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const result = await engine.invoke('config.unset', { key: key as SettingKey });
          emit(result, (r) =>
            r.removed
              ? `Unset ${r.key} (was ${describeValue(r.previous)})`
              : `${r.key} was not set; nothing changed`,
          );
          return 0;
        },
        FLAGS,
      ),
    );
}
