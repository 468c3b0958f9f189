package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// function is one AWS::Serverless::Function of the template, with its
// intrinsic functions resolved for the chosen parameters.
type function struct {
	Name      string            // logical id, e.g. PreSignUpFunction
	CodeURI   string            // as written, relative to the template's folder
	Handler   string            //
	MemoryMB  string            //
	Env       map[string]string // Globals' variables overlaid with the function's
	Condition string            // the resource's Condition, "" when always deployed
	Deployed  bool              // the Condition holds for the chosen parameters
}

// template resolves the short-form intrinsics deploy/template.yaml uses
// (!Ref, !Sub, !If, !Equals, !Not, !And, !Or, !Condition, !FindInMap,
// !GetAtt) well enough to read each function's settings.
type template struct {
	params     map[string]string
	resources  map[string]*yaml.Node
	conditions map[string]*yaml.Node
	mappings   *yaml.Node
	globals    *yaml.Node
}

func readTemplate(path string, overrides map[string]string) (*template, []function, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	root := doc.Content[0]
	t := &template{params: map[string]string{}, resources: map[string]*yaml.Node{}, conditions: map[string]*yaml.Node{}}
	for name, p := range pairs(get(root, "Parameters")) {
		if d := get(p, "Default"); d != nil {
			t.params[name] = d.Value
		}
	}
	for k, v := range overrides {
		t.params[k] = v
	}
	t.resources = pairs(get(root, "Resources"))
	t.conditions = pairs(get(root, "Conditions"))
	t.mappings = get(root, "Mappings")
	t.globals = get(get(root, "Globals"), "Function")

	var fns []function
	for name, r := range t.resources {
		if get(r, "Type").Value != "AWS::Serverless::Function" {
			continue
		}
		props := get(r, "Properties")
		f := function{Name: name, Env: map[string]string{}, Deployed: true}
		if c := get(r, "Condition"); c != nil {
			f.Condition = c.Value
			f.Deployed = t.cond(t.conditions[c.Value])
		}
		f.CodeURI = t.str(first(get(props, "CodeUri"), get(t.globals, "CodeUri")))
		f.Handler = t.str(first(get(props, "Handler"), get(t.globals, "Handler")))
		f.MemoryMB = t.str(first(get(props, "MemorySize"), get(t.globals, "MemorySize")))
		for _, vars := range []*yaml.Node{get(get(t.globals, "Environment"), "Variables"), get(get(props, "Environment"), "Variables")} {
			for k, v := range pairs(vars) {
				if s, ok := t.eval(v); ok {
					f.Env[k] = s
				}
			}
		}
		fns = append(fns, f)
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Name < fns[j].Name })
	return t, fns, nil
}

// get is the value of key in a mapping node (nil when absent).
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func pairs(n *yaml.Node) map[string]*yaml.Node {
	m := map[string]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i+1]
	}
	return m
}

func first(ns ...*yaml.Node) *yaml.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

func (t *template) str(n *yaml.Node) string {
	s, _ := t.eval(n)
	return s
}

var subVar = regexp.MustCompile(`\$\{([^}]+)\}`)

// eval resolves n to a string; false for AWS::NoValue.
func (t *template) eval(n *yaml.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Tag {
	case "!Ref":
		return t.ref(n.Value)
	case "!Sub":
		return subVar.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := strings.TrimSuffix(strings.TrimPrefix(m, "${"), "}")
			v, _ := t.ref(strings.Split(name, ".")[0])
			return v
		}), true
	case "!If":
		if t.cond(t.conditions[n.Content[0].Value]) {
			return t.eval(n.Content[1])
		}
		return t.eval(n.Content[2])
	case "!GetAtt":
		res, attr, _ := strings.Cut(n.Value, ".")
		if attr == "Arn" && t.str(get(t.resources[res], "Type")) == "AWS::KMS::Key" {
			return benchKeyARN, true // the stand-in's key (awsstub.go)
		}
		return n.Value, true
	case "!FindInMap":
		m := get(get(t.mappings, t.str(n.Content[0])), t.str(n.Content[1]))
		return t.eval(get(m, t.str(n.Content[2])))
	}
	return n.Value, true
}

func (t *template) ref(name string) (string, bool) {
	switch name {
	case "AWS::NoValue":
		return "", false
	case "AWS::Region":
		return "us-east-1", true
	case "AWS::AccountId":
		return "123456789012", true
	}
	if v, ok := t.params[name]; ok {
		return v, true
	}
	return name, true // a resource: its logical id stands for its name
}

// cond evaluates a condition expression.
func (t *template) cond(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	switch n.Tag {
	case "!Equals":
		return t.str(n.Content[0]) == t.str(n.Content[1])
	case "!Not":
		return !t.cond(n.Content[0])
	case "!And":
		for _, c := range n.Content {
			if !t.cond(c) {
				return false
			}
		}
		return true
	case "!Or":
		for _, c := range n.Content {
			if t.cond(c) {
				return true
			}
		}
		return false
	case "!Condition":
		return t.cond(t.conditions[n.Value])
	}
	return false
}
