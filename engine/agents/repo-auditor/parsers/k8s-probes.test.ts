import { describe, expect, it } from 'vitest';
import { helmTemplateProbes, imageName } from './k8s-probes.ts';
import { parseK8sManifest } from './kubernetes.ts';

describe('Kubernetes probes', () => {
  it('given a Deployment, when parsed, then HTTP probe paths come with their line and gRPC/TCP probes are not paths', () => {
    const parsed = parseK8sManifest(
      'k8s/api.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: server
          image: registry.local/shop/api:1.4
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
          livenessProbe:
            grpc:
              port: 9000
        - name: sidecar
          image: envoy
          livenessProbe:
            tcpSocket:
              port: 9901
`,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.containers).toEqual([
      {
        workload: 'api',
        name: 'server',
        image: 'registry.local/shop/api:1.4',
        probes: [
          { kind: 'readiness', path: '/ready', evidence: { file: 'k8s/api.yaml', line: 13 } },
        ],
      },
      { workload: 'api', name: 'sidecar', image: 'envoy', probes: [] },
    ]);
  });

  it('given image references, when named, then registry, tag and digest are dropped', () => {
    expect(imageName('ghcr.io/acme/api:1.2@sha256:abc')).toBe('api');
    expect(imageName('localhost:5000/web')).toBe('web');
    expect(imageName('Frontend')).toBe('frontend');
  });
});

describe('helmTemplateProbes', () => {
  it('given a template, when a probe path is literal, then it is read; a templated path or a hostPath is not', () => {
    const template = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          livenessProbe:
            httpGet:
              path: {{ .Values.probePath }}
              port: http
          readinessProbe:
{{- if .Values.slowStart }}
            initialDelaySeconds: 30
{{- end }}
            httpGet:
              path: "/healthz/ready"
              port: http
          lifecycle:
            preStop:
              httpGet:
                path: /drain
      volumes:
        - name: logs
          hostPath:
            path: /var/log
`;
    expect(helmTemplateProbes('chart/templates/deployment.yaml', template)).toEqual({
      probes: [
        {
          kind: 'readiness',
          path: '/healthz/ready',
          evidence: { file: 'chart/templates/deployment.yaml', line: 18 },
        },
      ],
      images: [],
    });
  });
});
