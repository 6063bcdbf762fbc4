package deploy_test

import (
	"slices"
	"strings"
	"testing"
)

// Just enough of the Kubernetes API to check the manifests.
type (
	k8sObject struct {
		APIVersion string            `yaml:"apiVersion"`
		Kind       string            `yaml:"kind"`
		Metadata   k8sMeta           `yaml:"metadata"`
		Data       map[string]string `yaml:"data"`
		StringData map[string]string `yaml:"stringData"`
		Spec       k8sSpec           `yaml:"spec"`
	}
	k8sMeta struct {
		Name      string            `yaml:"name"`
		Namespace string            `yaml:"namespace"`
		Labels    map[string]string `yaml:"labels"`
	}
	k8sSpec struct {
		Replicas *int             `yaml:"replicas"`
		Selector *k8sSelector     `yaml:"selector"`
		Template k8sPodTemplate   `yaml:"template"`
		Ports    []k8sServicePort `yaml:"ports"`
	}
	k8sSelector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	k8sPodTemplate struct {
		Metadata k8sMeta `yaml:"metadata"`
		Spec     k8sPod  `yaml:"spec"`
	}
	k8sPod struct {
		SecurityContext map[string]any `yaml:"securityContext"`
		Containers      []k8sContainer `yaml:"containers"`
	}
	k8sContainer struct {
		Name            string         `yaml:"name"`
		Image           string         `yaml:"image"`
		Args            []string       `yaml:"args"`
		Ports           []k8sPort      `yaml:"ports"`
		EnvFrom         []k8sEnvFrom   `yaml:"envFrom"`
		Env             []k8sEnv       `yaml:"env"`
		ReadinessProbe  *k8sProbe      `yaml:"readinessProbe"`
		LivenessProbe   *k8sProbe      `yaml:"livenessProbe"`
		Resources       map[string]any `yaml:"resources"`
		SecurityContext map[string]any `yaml:"securityContext"`
	}
	k8sPort struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	}
	k8sServicePort struct {
		Name       string `yaml:"name"`
		Port       int    `yaml:"port"`
		TargetPort any    `yaml:"targetPort"`
	}
	k8sEnvFrom struct {
		ConfigMapRef *struct {
			Name string `yaml:"name"`
		} `yaml:"configMapRef"`
	}
	k8sEnv struct {
		Name      string  `yaml:"name"`
		Value     *string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	}
	k8sProbe struct {
		HTTPGet *struct {
			Path string `yaml:"path"`
			Port any    `yaml:"port"`
		} `yaml:"httpGet"`
	}
	kustomization struct {
		Kind      string   `yaml:"kind"`
		Namespace string   `yaml:"namespace"`
		Resources []string `yaml:"resources"`
	}
)

// k8sManifests returns every object in deploy/k8s except the kustomization,
// by file name.
func k8sManifests(t *testing.T) map[string]k8sObject {
	t.Helper()
	out := make(map[string]k8sObject)
	for _, f := range yamlFiles(t) {
		if !strings.HasPrefix(f, "k8s/") || f == "k8s/kustomization.yaml" {
			continue
		}
		out[f] = decodeOne[k8sObject](t, f)
	}
	return out
}

// manifest returns the object in file f, checking its kind.
func manifest(t *testing.T, f, kind string) k8sObject {
	t.Helper()
	o, ok := k8sManifests(t)[f]
	if !ok {
		t.Fatalf("%s: missing", f)
	}
	if o.Kind != kind {
		t.Fatalf("%s: got kind %q, want %q", f, o.Kind, kind)
	}
	return o
}

// containerPort resolves a probe or target port (a number or a port name)
// against a container's ports.
func containerPort(c k8sContainer, port any) (int, bool) {
	switch p := port.(type) {
	case int:
		return p, true
	case string:
		for _, cp := range c.Ports {
			if cp.Name == p {
				return cp.ContainerPort, true
			}
		}
	}
	return 0, false
}

func TestKubernetesManifestsAreNamespaceAgnostic(t *testing.T) {
	t.Parallel()
	for f, o := range k8sManifests(t) {
		if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
			t.Errorf("%s: got apiVersion %q kind %q name %q, want all three set", f, o.APIVersion, o.Kind, o.Metadata.Name)
		}
		if o.Metadata.Namespace != "" {
			t.Errorf("%s: got namespace %q, want none", f, o.Metadata.Namespace)
		}
	}
	k := decodeOne[kustomization](t, "k8s/kustomization.yaml")
	if k.Namespace != "" {
		t.Errorf("kustomization.yaml: got namespace %q, want none", k.Namespace)
	}
}

func TestKustomizationListsManifests(t *testing.T) {
	t.Parallel()
	k := decodeOne[kustomization](t, "k8s/kustomization.yaml")
	if k.Kind != "Kustomization" {
		t.Errorf("kustomization.yaml: got kind %q, want Kustomization", k.Kind)
	}
	for f := range k8sManifests(t) {
		name := strings.TrimPrefix(f, "k8s/")
		listed := slices.Contains(k.Resources, name)
		switch {
		case f == "k8s/secret.example.yaml" && listed:
			t.Errorf("kustomization.yaml lists %s: applying it would overwrite the real Secret with placeholders", name)
		case f != "k8s/secret.example.yaml" && !listed:
			t.Errorf("kustomization.yaml: got resources %v, want %s among them", k.Resources, name)
		}
	}
	for _, r := range k.Resources {
		if _, ok := k8sManifests(t)["k8s/"+r]; !ok {
			t.Errorf("kustomization.yaml lists %s, which is not a manifest in deploy/k8s", r)
		}
	}
}

func TestDeployment(t *testing.T) {
	t.Parallel()
	d := manifest(t, "k8s/deployment.yaml", "Deployment")
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas: got %v, want 2", d.Spec.Replicas)
	}
	if d.Spec.Selector == nil || len(d.Spec.Selector.MatchLabels) == 0 {
		t.Fatal("selector: got none, want matchLabels")
	}
	for k, v := range d.Spec.Selector.MatchLabels {
		if got := d.Spec.Template.Metadata.Labels[k]; got != v {
			t.Errorf("pod label %s: got %q, want %q (the selector's)", k, got, v)
		}
	}
	if len(d.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("containers: got %d, want 1", len(d.Spec.Template.Spec.Containers))
	}
	c := d.Spec.Template.Spec.Containers[0]
	if !slices.Equal(c.Args, []string{"serve"}) {
		t.Errorf("args: got %v, want [serve]", c.Args)
	}
	if port, ok := containerPort(c, "http"); !ok || port != servicePort {
		t.Errorf("container port http: got %d (found %t), want %d", port, ok, servicePort)
	}
	probes := []struct {
		name  string
		probe *k8sProbe
		path  string
	}{
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
		{"livenessProbe", c.LivenessProbe, "/healthz"},
	}
	for _, p := range probes {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s: got none, want an httpGet probe on %s", p.name, p.path)
			continue
		}
		if p.probe.HTTPGet.Path != p.path {
			t.Errorf("%s path: got %q, want %q", p.name, p.probe.HTTPGet.Path, p.path)
		}
		if port, ok := containerPort(c, p.probe.HTTPGet.Port); !ok || port != servicePort {
			t.Errorf("%s port: got %v (resolves to %d), want the container port %d", p.name, p.probe.HTTPGet.Port, port, servicePort)
		}
	}
	if c.Resources["requests"] == nil || c.Resources["limits"] == nil {
		t.Errorf("resources: got %v, want requests and limits", c.Resources)
	}
	for key, want := range map[string]any{"runAsNonRoot": true, "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false} {
		if got := c.SecurityContext[key]; got != want {
			t.Errorf("container securityContext.%s: got %v, want %v", key, got, want)
		}
	}
	if got := d.Spec.Template.Spec.SecurityContext["runAsNonRoot"]; got != true {
		t.Errorf("pod securityContext.runAsNonRoot: got %v, want true", got)
	}
}

func TestConfigMapAddrMatchesContainerPort(t *testing.T) {
	t.Parallel()
	cm := manifest(t, "k8s/configmap.yaml", "ConfigMap")
	if got := portOf(t, "configmap.yaml", cm.Data["PANEL_ADDR"]); got != servicePort {
		t.Errorf("configmap PANEL_ADDR port: got %d, want %d", got, servicePort)
	}
	names := make([]string, 0, len(cm.Data))
	for k := range cm.Data {
		names = append(names, k)
		if slices.Contains(secretEnv, k) {
			t.Errorf("configmap.yaml holds %s, want it only in the Secret", k)
		}
	}
	checkKnownEnv(t, "configmap.yaml", names...)
}

func TestWorkloadsTakeSecretsFromSecretKeyRef(t *testing.T) {
	t.Parallel()
	cm := manifest(t, "k8s/configmap.yaml", "ConfigMap")
	secret := manifest(t, "k8s/secret.example.yaml", "Secret")
	for _, s := range secretEnv {
		if v, ok := secret.StringData[s]; !ok || !strings.Contains(v, "REPLACE_ME") {
			t.Errorf("secret.example.yaml %s: got %q, want a REPLACE_ME placeholder", s, v)
		}
	}
	workloads := []struct {
		file, kind string
		needs      []string
		args       []string
	}{
		{"k8s/deployment.yaml", "Deployment", secretEnv, []string{"serve"}},
		{"k8s/migrate-job.yaml", "Job", []string{"PANEL_DATABASE_URL"}, []string{"migrate"}},
	}
	for _, w := range workloads {
		o := manifest(t, w.file, w.kind)
		for _, c := range o.Spec.Template.Spec.Containers {
			if !slices.Equal(c.Args, w.args) {
				t.Errorf("%s: container %s args: got %v, want %v", w.file, c.Name, c.Args, w.args)
			}
			checkPinned(t, w.file, c.Image)
			fromConfig := false
			for _, ef := range c.EnvFrom {
				fromConfig = fromConfig || ef.ConfigMapRef != nil && ef.ConfigMapRef.Name == cm.Metadata.Name
			}
			if !fromConfig {
				t.Errorf("%s: container %s: got no envFrom of ConfigMap %q, want one", w.file, c.Name, cm.Metadata.Name)
			}
			seen := make(map[string]bool)
			for _, e := range c.Env {
				checkKnownEnv(t, w.file, e.Name)
				seen[e.Name] = true
				if !slices.Contains(secretEnv, e.Name) {
					continue
				}
				if e.Value != nil {
					t.Errorf("%s: %s has a literal value, want a secretKeyRef", w.file, e.Name)
				}
				if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
					t.Errorf("%s: %s: got no secretKeyRef, want one", w.file, e.Name)
					continue
				}
				ref := e.ValueFrom.SecretKeyRef
				if ref.Name != secret.Metadata.Name {
					t.Errorf("%s: %s refers to Secret %q, want %q", w.file, e.Name, ref.Name, secret.Metadata.Name)
				}
				if _, ok := secret.StringData[ref.Key]; !ok {
					t.Errorf("%s: %s refers to key %q, which secret.example.yaml lacks", w.file, e.Name, ref.Key)
				}
			}
			for _, n := range w.needs {
				if !seen[n] {
					t.Errorf("%s: container %s: got no %s, want it from the Secret", w.file, c.Name, n)
				}
			}
		}
	}
}

func TestServiceTargetsContainerPort(t *testing.T) {
	t.Parallel()
	svc := manifest(t, "k8s/service.yaml", "Service")
	d := manifest(t, "k8s/deployment.yaml", "Deployment")
	if len(svc.Spec.Ports) == 0 {
		t.Fatal("service.yaml: got no ports")
	}
	c := d.Spec.Template.Spec.Containers[0]
	for _, p := range svc.Spec.Ports {
		if port, ok := containerPort(c, p.TargetPort); !ok || port != servicePort {
			t.Errorf("service targetPort %v: resolves to %d, want %d", p.TargetPort, port, servicePort)
		}
	}
	// A Service's selector is a plain map, unlike a Deployment's.
	sel := decodeOne[struct {
		Spec struct {
			Selector map[string]string `yaml:"selector"`
		} `yaml:"spec"`
	}](t, "k8s/service.yaml").Spec.Selector
	if len(sel) == 0 {
		t.Error("service.yaml: got no selector, want the pods' labels")
	}
	for k, v := range sel {
		if got := d.Spec.Template.Metadata.Labels[k]; got != v {
			t.Errorf("service selector %s=%s: got pod label %q, want the same", k, v, got)
		}
	}
}
