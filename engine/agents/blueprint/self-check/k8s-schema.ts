/**
 * Validates generated Kubernetes objects against the Kubernetes OpenAPI schemas shipped in
 * kubernetes-models, and Argo Rollouts' Rollout and AnalysisTemplate against the CRD schemas of
 * @kubernetes-models/argo-rollouts. The Rollout CRD leaves its pod template loosely typed, so a
 * Rollout's pod template is also validated as a Deployment's.
 */
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
};

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

/** Throws when the object breaks its kind's schema (or its kind has none here). */
export function validateK8sObject(object: K8sObject): void {
  if (object.kind === 'Rollout') {
    new Rollout(object as never).validate();
    const { strategy: _canary, ...spec } = object.spec!;
    new Deployment({ metadata: object.metadata, spec } as never).validate();
    return;
  }
  if (object.kind === 'AnalysisTemplate') {
    new AnalysisTemplate(object as never).validate();
    return;
  }
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
}
