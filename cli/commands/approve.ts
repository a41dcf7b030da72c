/**
 * `prodsprint approve <blueprintId> --plan-hash <hash>`: sign the plan hash a person reviewed
 * with this workstation's key (audited). Refused when the hash differs from the blueprint's, when
 * a newer plan superseded it, or while the plan has open questions (issue 15).
 */
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';

interface ApproveOptions {
  planHash: string;
  role?: string;
  self?: boolean;
}

export function registerApprove(program: Command, run: CommandRunner): void {
  program
    .command('approve')
    .description("approve a plan: sign the plan hash you reviewed with this workstation's key")
    .argument('<blueprintId>', 'the blueprint `prodsprint plan` printed')
    .requiredOption('--plan-hash <hash>', 'the plan hash you reviewed (64 hex digits)')
    .option('--role <role>', 'your role in the approval, e.g. release-manager')
    .option('--self', 'you also wrote the change: recorded as a self-approval')
    .action((blueprintId: string, options: ApproveOptions, command: Command) =>
      run(
        command,
        async ({ engine, emit }) => {
          const approval = await engine.invoke('blueprints.approve', {
            blueprintId,
            planHash: options.planHash,
            selfApproval: Boolean(options.self),
            ...(options.role ? { role: options.role } : {}),
          });
          emit(
            approval,
            (a) =>
              `Approved ${a.blueprintId} (plan ${a.planHash.slice(0, 12)}…) as ${a.approver}${a.selfApproval ? ' (self-approval)' : ''}: approval ${a.approvalId}, signed with key ${a.keyId}`,
          );
          return 0;
        },
        { planHash: '--plan-hash', role: '--role' },
      ),
    );
}
