// Evaluates a ValidatingAdmissionPolicy's variables and validations with Kubernetes' own CEL
// environment (k8s.io/apiserver/pkg/cel/environment: the ip()/cidr() and strings libraries the API
// server uses), outside an API server. Reads {variables, validations, cases} as JSON on stdin and
// writes one verdict per case. Variables are evaluated in order, like the API server's composition.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types/ref"
	"k8s.io/apiserver/pkg/cel/environment"
)

type expr struct {
	Name              string `json:"name"`
	Expression        string `json:"expression"`
	MessageExpression string `json:"messageExpression"`
}

type input struct {
	MatchConditions []expr `json:"matchConditions"`
	Variables       []expr `json:"variables"`
	Validations []expr `json:"validations"`
	Cases       []struct {
		Name     string         `json:"name"`
		Object   map[string]any `json:"object"`
		Params   map[string]any `json:"params"`
		Resource string         `json:"resource"`
	} `json:"cases"`
}

type verdict struct {
	Name     string   `json:"name"`
	Allowed  bool     `json:"allowed"`
	Matched  bool     `json:"matched"`
	Messages []string `json:"messages"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("input: %v", err)
	}
	base, err := environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()).Env(environment.NewExpressions)
	if err != nil {
		fail("environment: %v", err)
	}
	env, err := base.Extend(
		cel.Variable("object", cel.DynType), cel.Variable("params", cel.DynType), cel.Variable("request", cel.DynType),
		cel.Variable("variables", cel.MapType(cel.StringType, cel.DynType)),
	)
	if err != nil {
		fail("environment: %v", err)
	}
	compile := func(text string) cel.Program {
		ast, iss := env.Compile(text)
		if iss.Err() != nil {
			fail("compile %q: %v", text, iss.Err())
		}
		prg, err := env.Program(ast, cel.CostLimit(1_000_000))
		if err != nil {
			fail("program %q: %v", text, err)
		}
		return prg
	}
	conditions := make([]cel.Program, len(in.MatchConditions))
	for i, m := range in.MatchConditions {
		conditions[i] = compile(m.Expression)
	}
	vars := make([]cel.Program, len(in.Variables))
	for i, v := range in.Variables {
		vars[i] = compile(v.Expression)
	}
	checks := make([][2]cel.Program, len(in.Validations))
	for i, v := range in.Validations {
		checks[i] = [2]cel.Program{compile(v.Expression), compile(v.MessageExpression)}
	}
	out := []verdict{}
	for _, c := range in.Cases {
		values := map[string]any{}
		activation := map[string]any{"object": c.Object, "params": c.Params, "request": map[string]any{"resource": map[string]any{"resource": c.Resource}}, "variables": values}
		v := verdict{Name: c.Name, Allowed: true, Matched: true, Messages: []string{}}
		// matchConditions: all must be true for the policy to apply; an error counts as failurePolicy: Fail.
		for _, p := range conditions {
			r, _, err := p.Eval(activation)
			if err != nil {
				v.Allowed, v.Messages = false, append(v.Messages, "matchCondition error: "+err.Error())
				break
			}
			if ok, _ := r.Value().(bool); !ok {
				v.Matched = false
				break
			}
		}
		if !v.Matched || !v.Allowed {
			out = append(out, v)
			continue
		}
		for i, p := range vars {
			if r, _, err := p.Eval(activation); err == nil {
				values[in.Variables[i].Name] = r.Value()
			}
		}
		for _, p := range checks {
			r, _, err := p[0].Eval(activation)
			if err != nil { // failurePolicy: Fail
				v.Allowed, v.Messages = false, append(v.Messages, "error: "+err.Error())
				continue
			}
			if ok, _ := r.Value().(bool); !ok {
				v.Allowed = false
				v.Messages = append(v.Messages, message(p[1], activation))
			}
		}
		out = append(out, v)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func message(p cel.Program, activation map[string]any) string {
	var r ref.Val
	r, _, err := p.Eval(activation)
	if err != nil {
		return "messageExpression error: " + err.Error()
	}
	return fmt.Sprint(r.Value())
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}
