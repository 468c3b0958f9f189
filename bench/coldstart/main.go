// Command coldstart measures the cold start of every function deploy/template.yaml
// deploys against the smallest aws-lambda-go function (./hello), side by side:
// a loopback Lambda Runtime API times exec → first response, runs alternate
// between the two (paired, interleaved), and each function gets its template
// environment plus a loopback DynamoDB/Cognito stand-in that answers at once.
// A function whose first event calls AWS also runs against its direct handler
// (./direct/<artifact>): a bare aws-lambda-go handler making the same AWS
// calls, in the same runs, so that the figures split what the libraries cost
// from what poolside's own work adds.
//
//	go run ./bench/coldstart [-runs 21] [-rounds 20] [-warm 1000] [-callgrind] [-direct=false]
//
// A ratio near 1.5 moves by ±0.1 from one round of 21 runs to the next on a
// shared machine; -rounds repeats the runs and prints each function's mean
// ratio over the rounds with the range, as the README quotes it.
//
// Each function is paired with a copy of hello of its own (a file of its own,
// so pages of its own in the page cache), run exactly as often and in the same
// order as the function. One hello shared by every pair runs ten times as
// often as any function and stays warm in the CPU's caches while each
// function goes cold between its runs. The last row, "control", checks for
// that: another copy of hello measured as a function, which must read 1.00 up
// to noise. With one shared hello it read 1.15 (1.10–1.20, eight full rounds
// on a Firecracker/KVM machine, hello 1.6 ms); with a copy per pair, 1.01
// (0.94–1.04) in rounds alternating with those (hello 1.8 ms). Before
// 97670b9 the shared hello was also the file the linker wrote, whose text
// took more faults (330 against 283 for a copy written in one write; see
// writeBinary), and on that machine the two errors happened to cancel:
// twenty rounds each way read within 0.05 of each other for every function.
//
// It reads the bootstrap from the zip the function's CodeUri names, with the
// machine's architecture in place of arm64 (make build writes both). Figures
// are printed, never checked: a busy machine slows both sides, so compare the
// ratios, and use -callgrind for instruction counts that do not depend on load.
package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	var (
		tplPath   = flag.String("template", "deploy/template.yaml", "SAM template")
		fixtures  = flag.String("fixtures", "fixtures/events", "event fixtures")
		runs      = flag.Int("runs", 21, "cold starts per function and side")
		rounds    = flag.Int("rounds", 1, "repeat the runs this many times; with more than one, also print each function's ratio over the rounds (the mean of each round's ratio of medians, and the range)")
		warm      = flag.Int("warm", 0, "then this many mixed warm invocations per function, reporting peak RSS (0: skip)")
		callgrind = flag.Bool("callgrind", false, "also count instructions exec → first response under valgrind --tool=callgrind")
		keep      = flag.String("keep", "", "copy the built bootstraps and callgrind outputs into this folder")
		only      = flag.String("only", "", "comma-separated logical ids to measure (default: every function)")
		direct    = flag.Bool("direct", true, "also measure each function's direct handler (bench/coldstart/direct/<artifact>): a bare aws-lambda-go handler making the same AWS calls")
		symbols   = flag.Bool("symbols", false, "build hello and the direct handlers with their symbols (not stripped), for callgrind_annotate on -keep's outputs; the artifacts are what make build wrote")
		directMod = flag.String("direct-modfile", "dist/sdk/go.mod", "the go.mod the direct handlers are built with: the artifacts' library copies (make build writes it), or go.mod for the libraries as published")
		extraEnv  = flag.String("env", "", "comma-separated K=V added to each function's environment (hello's too), to try a runtime setting such as GOGC")
		newUser   = flag.Bool("new-user", false, "the sign-in triggers' first event too is for a user with no profile yet")
		latency   = flag.Duration("aws-latency", 0, "the AWS stand-in answers each call after this long (e.g. 5ms, a KMS or DynamoDB call in a Region); 0: at once")
		params    = flag.String("params", "MigrationEnabled=true,LegacySource=dynamodb://"+legacyTable+",BcryptCost=10,"+
			"CustomSenders=true,SenderFrom=no-reply@example.com,SesSourceArn=arn:aws:ses:us-east-1:123456789012:identity/example.com",
			"template parameter overrides")
	)
	flag.Parse()
	if *extraEnv != "" {
		functionEnv = strings.Split(*extraEnv, ",")
	}
	if *newUser {
		existingUser = nil
	}
	awsLatency = *latency
	directModfile = *directMod
	if *symbols {
		stripFlags = ""
	}
	if *runs < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "coldstart: -runs and -rounds must be at least 1")
		os.Exit(2)
	}
	if err := run(*tplPath, *fixtures, *runs, *rounds, *warm, *callgrind, *direct, *only, *params, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(tplPath, fixtures string, runs, rounds, warm int, callgrind, withDirect bool, only, params, keep string) error {
	overrides := map[string]string{}
	for _, kv := range strings.Split(params, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			overrides[k] = v
		}
	}
	_, fns, err := readTemplate(tplPath, overrides)
	if err != nil {
		return err
	}
	if only != "" {
		keep := strings.Split(only, ",")
		fns = slices.DeleteFunc(fns, func(f function) bool { return !slices.Contains(keep, f.Name) })
	}
	work, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return err
	}
	defer func() {
		if keep != "" {
			_ = os.CopyFS(keep, os.DirFS(work))
		}
		_ = os.RemoveAll(work)
	}()

	hello := filepath.Join(work, "hello", "bootstrap")
	if err := buildHello(hello); err != nil {
		return err
	}
	stub, err := newAWSStub()
	if err != nil {
		return err
	}
	defer stub.close()

	type subject struct {
		fn      function
		bin     string
		hello   string // this subject's own copy of hello
		env     []string
		event   []byte
		source  string
		mixed   [][]byte
		direct  string             // the direct handler's bootstrap, or ""
		samples [3][]time.Duration // hello, function, direct handler
		faults  [3][]int64         // minor page faults, exec → kill after the first response
		cpu     [3][]time.Duration // user+system CPU time, the same span
		init    [3][]time.Duration // exec → first poll for an event (Lambda's Init Duration)
		ratios  [3][]float64       // each round's ratio of medians over hello's (-rounds); [0] unused
		failed  error
	}
	var subjects []*subject
	for _, f := range fns {
		bin, err := extract(filepath.Join(filepath.Dir(tplPath), f.CodeURI), filepath.Join(work, f.Name))
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		trigger, _, _ := strings.Cut(f.Env["POOLSIDE_TRIGGERS"], ",")
		ev, src, mixed, err := events(fixtures, trigger)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if strings.HasPrefix(trigger, "Custom") && strings.HasSuffix(trigger, "Sender") {
			// The fixtures' codes are placeholders: encrypt one for real,
			// under the stand-in's key, as Cognito does.
			if ev, mixed, err = withSenderCode(stub.url(), ev, mixed); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		}
		env := append(lambdaEnv(f, stub.url()), functionEnv...)
		if existingUser[trigger] {
			env = append(env, "POOLSIDE_PROFILE_STORE=dynamodb://"+existingProfiles) // the last of a name wins
			src += " (existing user)"
		}
		own, err := copyBinary(hello, filepath.Join(work, f.Name+".hello"))
		if err != nil {
			return err
		}
		var direct string
		if withDirect {
			if direct, err = buildDirect(f.CodeURI, filepath.Join(work, f.Name+".direct")); err != nil {
				return fmt.Errorf("%s: direct handler: %w", f.Name, err)
			}
		}
		subjects = append(subjects, &subject{fn: f, bin: bin, hello: own, direct: direct, env: env, event: ev, source: src, mixed: mixed})
	}
	// The control: hello measured as a function, against its own hello.
	ctlHello, err := copyBinary(hello, filepath.Join(work, controlName+".hello"))
	if err != nil {
		return err
	}
	ctlBin, err := copyBinary(hello, filepath.Join(work, controlName))
	if err != nil {
		return err
	}
	ctl := function{Name: controlName, MemoryMB: "256", Handler: "bootstrap", Deployed: true}
	if len(fns) > 0 {
		ctl.Env = fns[0].Env // the Globals' variables (GOMAXPROCS…), as every pair has
	}
	ctlEnv := append(lambdaEnv(ctl, stub.url()), functionEnv...)
	subjects = append(subjects, &subject{fn: ctl, bin: ctlBin, hello: ctlHello, env: ctlEnv,
		event: []byte(`{"control":true}`), source: "hello vs a copy of hello", mixed: [][]byte{[]byte(`{"control":true}`)}})

	fmt.Printf("cold start, exec → first response: %d paired runs per function (%s/%s, %s)\n", runs*rounds, runtime.GOOS, runtime.GOARCH, runtime.Version())
	if rounds > 1 {
		fmt.Printf("in %d rounds of %d; the tables below pool every round's runs, the last one compares the rounds\n", rounds, runs)
	}
	fmt.Printf("load before: %s\n", loadAvg())
	for r := range rounds {
		for j := range runs {
			i := r*runs + j // alternates which side goes first across rounds too
			for _, s := range subjects {
				if s.failed != nil {
					continue
				}
				bins := []string{s.hello, s.bin}
				if s.direct != "" {
					bins = append(bins, s.direct)
				}
				for k := range bins { // each side goes first in turn
					side := (i + k) % len(bins)
					bin := bins[side]
					d, u, err := coldStart(bin, s.env, s.event, nil)
					if err != nil {
						s.failed = fmt.Errorf("%s: %w", filepath.Base(filepath.Dir(bin)), err)
						break
					}
					s.samples[side] = append(s.samples[side], d)
					s.faults[side] = append(s.faults[side], u.faults)
					s.cpu[side] = append(s.cpu[side], u.cpu)
					s.init[side] = append(s.init[side], u.init)
				}
			}
		}
		for _, s := range subjects { // the round's ratios of medians
			if s.failed != nil {
				continue
			}
			for side := 1; side < len(s.samples); side++ {
				if len(s.samples[side]) > 0 {
					s.ratios[side] = append(s.ratios[side], roundRatio(s.samples[0], s.samples[side], runs))
				}
			}
		}
	}
	fmt.Printf("load after:  %s\n\n", loadAvg())
	fmt.Printf("%-28s %-42s %9s %9s %7s %7s %7s %7s  %s\n", "function", "first event", "hello", "function", "ratio", "pair lo", "pair md", "pair hi", "AWS calls (1st event)")
	for _, s := range subjects {
		if s.failed != nil {
			fmt.Printf("%-28s %-42s not measured: %v\n", s.fn.Name, s.source, s.failed)
			continue
		}
		h, f := median(s.samples[0]), median(s.samples[1])
		var pairs []float64
		for i := range s.samples[0] {
			pairs = append(pairs, float64(s.samples[1][i])/float64(s.samples[0][i]))
		}
		slices.Sort(pairs)
		note := ""
		if !s.fn.Deployed {
			note = " (condition " + s.fn.Condition + " off by default)"
		}
		fmt.Printf("%-28s %-42s %9s %9s %7.2f %7.2f %7.2f %7.2f  %s%s\n", s.fn.Name, s.source, ms(h), ms(f),
			float64(f)/float64(h), pairs[0], pairs[len(pairs)/2], pairs[len(pairs)-1], awsCalls(s.bin, s.env, s.event, stub), note)
	}

	if withDirect {
		fmt.Printf("\nthe floor: each function against its direct handler, a bare aws-lambda-go handler making the same AWS calls\n")
		fmt.Printf("(bench/coldstart/direct; the same runs, interleaved with the two above; medians)\n")
		fmt.Printf("%-28s %9s %9s %9s %9s %9s %9s  %s\n", "function", "hello", "direct", "function", "direct/h", "fn/h", "fn/direct", "the direct handler's AWS calls")
		for _, s := range subjects {
			if s.failed != nil || s.direct == "" {
				continue
			}
			h, f, d := median(s.samples[0]), median(s.samples[1]), median(s.samples[2])
			fmt.Printf("%-28s %9s %9s %9s %9.2f %9.2f %9.2f  %s\n", s.fn.Name, ms(h), ms(d), ms(f),
				float64(d)/float64(h), float64(f)/float64(h), float64(f)/float64(d), awsCalls(s.direct, s.env, s.event, stub))
		}
	}

	fmt.Printf("\nwhat the same runs cost the process, exec → killed after the first response (medians);\n")
	fmt.Printf("init is exec → first poll for an event (Lambda's Init Duration), the rest of the first response is the invocation\n")
	fmt.Printf("%-28s %12s %12s %7s %12s %12s %7s %12s %12s\n", "function", "faults hello", "function", "ratio", "CPU hello", "function", "ratio", "init hello", "function")
	for _, s := range subjects {
		if s.failed != nil {
			continue
		}
		hf, ff := median(s.faults[0]), median(s.faults[1])
		hc, fc := median(s.cpu[0]), median(s.cpu[1])
		fmt.Printf("%-28s %12d %12d %7.2f %12s %12s %7.2f %12s %12s\n", s.fn.Name, hf, ff, float64(ff)/float64(hf), ms(hc), ms(fc), float64(fc)/float64(hc),
			ms(median(s.init[0])), ms(median(s.init[1])))
		if s.direct != "" {
			df, dc := median(s.faults[2]), median(s.cpu[2])
			fmt.Printf("%-28s %12s %12d %7.2f %12s %12s %7.2f %12s %12s\n", "  its direct handler", "", df, float64(df)/float64(hf), "", ms(dc), float64(dc)/float64(hc),
				"", ms(median(s.init[2])))
		}
	}

	fmt.Printf("\nthe first response's spread, exec → first response: mean, 90th percentile and slowest run of each side\n")
	fmt.Printf("%-28s %10s %10s %10s %10s %10s %10s\n", "function", "hello mean", "p90", "max", "fn mean", "p90", "max")
	for _, s := range subjects {
		if s.failed != nil {
			continue
		}
		hm, h90, hmax := spread(s.samples[0])
		fm, f90, fmax := spread(s.samples[1])
		fmt.Printf("%-28s %10s %10s %10s %10s %10s %10s\n", s.fn.Name, ms(hm), ms(h90), ms(hmax), ms(fm), ms(f90), ms(fmax))
	}

	if rounds > 1 {
		fmt.Printf("\nthe ratio round by round (%d rounds of %d paired runs): mean of the rounds' ratios, lowest and highest\n", rounds, runs)
		fmt.Printf("%-28s %7s %7s %7s   %s\n", "function", "mean", "lowest", "highest", "its direct handler: mean, lowest, highest")
		for _, s := range subjects {
			if s.failed != nil {
				continue
			}
			mean, lo, hi := summary(s.ratios[1])
			fmt.Printf("%-28s %7.2f %7.2f %7.2f", s.fn.Name, mean, lo, hi)
			if len(s.ratios[2]) > 0 {
				mean, lo, hi := summary(s.ratios[2])
				fmt.Printf("   %7.2f %7.2f %7.2f", mean, lo, hi)
			}
			fmt.Println()
		}
	}

	if callgrind {
		fmt.Printf("\ninstructions exec → first response (valgrind --tool=callgrind, GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off)\n")
		fmt.Printf("%-28s %14s %14s %7s %14s\n", "function", "hello", "function", "ratio", "direct handler")
		for _, s := range subjects {
			if s.failed != nil {
				continue
			}
			hi, err := instructions(s.hello, s.env, s.event, work)
			if err != nil {
				return err
			}
			fi, err := instructions(s.bin, s.env, s.event, work)
			if err != nil { // e.g. the 4.5 s budget, ~50× slower under valgrind on a busy machine
				fmt.Printf("%-28s %14d %14s  (%v)\n", s.fn.Name, hi, "-", err)
				continue
			}
			fmt.Printf("%-28s %14d %14d %7.2f", s.fn.Name, hi, fi, float64(fi)/float64(hi))
			if s.direct != "" {
				di, err := instructions(s.direct, s.env, s.event, work)
				if err != nil {
					return fmt.Errorf("%s's direct handler: %w", s.fn.Name, err)
				}
				fmt.Printf(" %14d", di)
			} else {
				fmt.Printf(" %14s", "-")
			}
			fmt.Printf("  +%.1f M\n", float64(fi-hi)/1e6)
		}
	}

	if warm > 0 {
		fmt.Printf("\npeak RSS (VmHWM) after %d mixed warm invocations (every fixture of the function's trigger, in turn)\n", warm)
		fmt.Printf("%-28s %8s %10s %10s\n", "function", "fixtures", "hello", "function")
		for _, s := range subjects {
			if s.failed != nil {
				continue
			}
			batch := [][]byte{s.event} // the first must succeed; refusals may follow
			for i := range warm {
				batch = append(batch, s.mixed[i%len(s.mixed)])
			}
			_, hr, err := coldStart(s.hello, s.env, batch[0], batch[1:])
			if err != nil {
				return err
			}
			_, fr, err := coldStart(s.bin, s.env, batch[0], batch[1:])
			if err != nil {
				return fmt.Errorf("%s: %w", s.fn.Name, err)
			}
			fmt.Printf("%-28s %8d %7.1f MB %7.1f MB\n", s.fn.Name, len(s.mixed), float64(hr.rss)/1e6, float64(fr.rss)/1e6)
		}
	}
	return nil
}

// usage is what one cold start cost the process: its peak RSS after the last
// event, and its minor page faults and CPU time from exec until it was killed
// (right after the last response). On a VM where a page fault costs tens of
// microseconds the faults explain most of the wall-clock difference.
type usage struct {
	rss    int64
	faults int64
	cpu    time.Duration
	init   time.Duration // exec → the first poll for an event
}

// coldStart starts bin as a fresh execution environment, hands it event and
// then each of more, and returns the time from exec to the first response and
// what the process used.
func coldStart(bin string, env []string, event []byte, more [][]byte) (time.Duration, usage, error) {
	var u usage
	api, err := newRuntimeAPI()
	if err != nil {
		return 0, u, err
	}
	defer api.close()
	api.queue(event)
	api.queue(more...)
	var out bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Dir = filepath.Dir(bin)
	cmd.Env = append(slices.Clone(env), "AWS_LAMBDA_RUNTIME_API="+api.addr())
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, u, err
	}
	exited := make(chan struct{})
	go func() { // a process that dies before answering is a failure, not a timeout
		err := cmd.Wait()
		close(exited)
		api.report(result{at: time.Now(), errored: true, body: fmt.Appendf(nil, "process exited (%v): %s", err, out.String())})
	}()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			u.faults = ru.Minflt
			u.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	var first time.Duration
	for i := range 1 + len(more) {
		res, err := api.wait(10 * time.Second)
		if err != nil {
			stop()
			return 0, u, fmt.Errorf("%w; output: %s", err, short(out.Bytes()))
		}
		if res.errored && (i == 0 || bytes.HasPrefix(res.body, []byte("process exited"))) {
			// later ones may be refusals (wrong password…), as in the mix
			stop()
			return 0, u, fmt.Errorf("invocation %d failed: %s", i+1, short(res.body))
		}
		if i == 0 {
			first = res.at.Sub(start)
		}
	}
	u.init = api.firstPoll().Sub(start)
	u.rss = peakRSS(cmd.Process.Pid)
	stop()
	return first, u, nil
}

// instructions counts what bin executes from exec to its first response.
func instructions(bin string, env []string, event []byte, work string) (int64, error) {
	api, err := newRuntimeAPI()
	if err != nil {
		return 0, err
	}
	defer api.close()
	api.timeout = 10 * time.Minute // valgrind runs a program ~50× slower
	api.queue(event)
	outFile := filepath.Join(work, "callgrind."+filepath.Base(filepath.Dir(bin))+".out") // kept with -keep
	_ = os.Remove(outFile)
	var out bytes.Buffer
	// --fair-sched: without it a runtime thread spinning for another can
	// starve that one under valgrind's one-at-a-time threads (seen: 1.3 G
	// instructions, or no answer in 5 min, for UserMigration).
	cmd := exec.Command("valgrind", "--tool=callgrind", "--fair-sched=yes", "--callgrind-out-file="+outFile, bin)
	cmd.Dir = filepath.Dir(bin)
	cmd.Env = append(slices.Clone(env), "AWS_LAMBDA_RUNTIME_API="+api.addr(), "GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("valgrind: %w", err)
	}
	res, err := api.wait(5 * time.Minute)
	if err == nil && res.errored {
		err = fmt.Errorf("invocation failed: %s", short(res.body))
	}
	_ = cmd.Process.Signal(os.Interrupt) // callgrind writes its counts when the program dies of a signal
	_ = cmd.Wait()
	if err != nil {
		return 0, err
	}
	raw, err := os.ReadFile(outFile)
	if err != nil {
		return 0, fmt.Errorf("callgrind output: %w (%s)", err, short(out.Bytes()))
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "summary: "); ok {
			var n int64
			_, err := fmt.Sscan(v, &n)
			return n, err
		}
	}
	return 0, fmt.Errorf("callgrind output has no summary")
}

// awsCalls runs one more cold start and lists the DynamoDB/Cognito calls its
// first event made.
func awsCalls(bin string, env []string, event []byte, stub *awsStub) string {
	stub.take()
	if _, _, err := coldStart(bin, env, event, nil); err != nil {
		return "error: " + err.Error()
	}
	calls := stub.take()
	if len(calls) == 0 {
		return "none"
	}
	var parts []string
	for target, n := range calls {
		_, op, _ := strings.Cut(target, ".")
		parts = append(parts, fmt.Sprintf("%s×%d", op, n))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// functionEnv is -env's variables.
var functionEnv []string

// lambdaEnv is what Lambda sets for a provided.al2023 function, plus the
// function's template variables and the loopback AWS endpoints.
func lambdaEnv(f function, awsURL string) []string {
	env := []string{
		"AWS_LAMBDA_FUNCTION_NAME=" + f.Name, "AWS_LAMBDA_FUNCTION_VERSION=1",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + f.MemoryMB, "AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + f.Name, "AWS_LAMBDA_LOG_STREAM_NAME=bench",
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=bench", "AWS_SECRET_ACCESS_KEY=bench", "AWS_SESSION_TOKEN=bench",
		"_HANDLER=" + f.Handler, "TZ=:UTC", "LANG=en_US.UTF-8", "PATH=/usr/local/bin:/usr/bin/:/bin",
		"POOLSIDE_DYNAMODB_ENDPOINT=" + awsURL, "POOLSIDE_COGNITO_ENDPOINT=" + awsURL,
		"POOLSIDE_KMS_ENDPOINT=" + awsURL, "POOLSIDE_SES_ENDPOINT=" + awsURL, "POOLSIDE_SNS_ENDPOINT=" + awsURL,
	}
	for k, v := range f.Env {
		env = append(env, k+"="+v)
	}
	return env
}

// events picks the fixture a function's first event is, and every fixture of
// its trigger for the warm mix.
func events(dir, trigger string) (first []byte, name string, mixed [][]byte, err error) {
	if trigger == "none" { // the User API function answers API Gateway events only
		return []byte(apiEvent), "GET /api/me, no token (401)", [][]byte{[]byte(apiEvent)}, nil
	}
	prefix := trigger + "_"
	if trigger == "PreTokenGeneration" {
		prefix = "TokenGeneration_"
	}
	matches, _ := filepath.Glob(filepath.Join(dir, prefix+"*.json"))
	if len(matches) == 0 {
		return nil, "", nil, fmt.Errorf("no fixture %s*.json for trigger %q", prefix, trigger)
	}
	name = filepath.Base(matches[0])
	if pick, ok := firstEvent[trigger]; ok {
		name = pick
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			return nil, "", nil, err
		}
		mixed = append(mixed, b)
	}
	first, err = os.ReadFile(filepath.Join(dir, name))
	return first, name, mixed, err
}

// firstEvent is each trigger's most common event. UserMigration's is the
// password reset: an Authentication event spends its time in bcrypt, which
// P4 (migration vs bcrypt) measures, not cold start.
var firstEvent = map[string]string{
	"PreSignUp":          "PreSignUp_SignUp.json",
	"CustomMessage":      "CustomMessage_SignUp.json",
	"PostConfirmation":   "PostConfirmation_ConfirmSignUp.json",
	"PostAuthentication": "PostAuthentication_Authentication.json",
	"PreTokenGeneration": "TokenGeneration_Authentication.v2.json",
	"UserMigration":      "UserMigration_ForgotPassword.json",
	"CustomEmailSender":  "CustomEmailSender_SignUp.json",
	"CustomSMSSender":    "CustomSMSSender_SignUp.json",
}

// existingUser marks the triggers whose most common event is an existing
// user's sign-in: their profile table holds every profile (existingProfiles).
// PostConfirmation's is a new sign-up, UserMigration's a user the pool does
// not have yet: their table is empty. A first token for a user with no
// profile yet (admin-created, federated) is measured with -new-user.
var existingUser = map[string]bool{"PreAuthentication": true, "PostAuthentication": true, "PreTokenGeneration": true}

// apiEvent is an API Gateway HTTP API (payload 2.0) request without a token:
// the User API answers 401 without fetching the pool's keys.
const apiEvent = `{"version":"2.0","routeKey":"$default","rawPath":"/api/me","rawQueryString":"",` +
	`"headers":{"host":"api.example.com","accept":"application/json"},"requestContext":{"accountId":"123456789012",` +
	`"apiId":"bench","domainName":"api.example.com","http":{"method":"GET","path":"/api/me","protocol":"HTTP/1.1",` +
	`"sourceIp":"192.0.2.1","userAgent":"bench"},"requestId":"bench","routeKey":"$default","stage":"$default",` +
	`"time":"23/Nov/2026:12:00:00 +0000","timeEpoch":1795000000000},"isBase64Encoded":false}`

// extract writes the bootstrap of the zip at codeURI (arm64 replaced by this
// machine's architecture) into dir.
func extract(codeURI, dir string) (string, error) {
	path := strings.ReplaceAll(codeURI, "arm64", runtime.GOARCH)
	z, err := zip.OpenReader(path)
	if err != nil {
		return "", fmt.Errorf("%w (run make build)", err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != "bootstrap" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return "", err
		}
		defer r.Close()
		raw, err := io.ReadAll(r)
		if err != nil {
			return "", err
		}
		return writeBinary(dir, raw)
	}
	return "", fmt.Errorf("%s has no bootstrap", path)
}

// controlName names the control row: a copy of hello measured as a function.
const controlName = "control"

// copyBinary copies the executable at src to dir/bootstrap, a file of its own.
func copyBinary(src, dir string) (string, error) {
	raw, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	return writeBinary(dir, raw)
}

// writeBinary writes every bootstrap the runs execute, hello's copies and the
// functions', the same way: in one write. How a file was written shapes its
// page cache (ext4 on Linux 6.16+ keeps large folios, which one big write
// gets and 32 KB writes do not), and so how many page faults its text takes
// at each exec: with the functions written in 32 KB pieces and hello as the
// linker wrote it, the functions read 0.05–0.15 higher (eight rounds each).
func writeBinary(dir string, raw []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "bootstrap")
	return bin, os.WriteFile(bin, raw, 0o755)
}

// buildDirect builds the direct handler of the artifact codeURI names
// (bench/coldstart/direct/<artifact>) into dir as the artifacts are built,
// with directModfile, and writes it as writeBinary writes every bootstrap. It returns ""
// for an artifact with none: one whose first event calls no AWS service.
func buildDirect(codeURI, dir string) (string, error) {
	artifact, _, _ := strings.Cut(filepath.Base(codeURI), "-")
	src := filepath.Join("bench", "coldstart", "direct", artifact)
	if _, err := os.Stat(filepath.Join(src, "main.go")); err != nil {
		return "", nil
	}
	out := filepath.Join(dir, "built")
	if err := goBuild(out, "./"+filepath.ToSlash(src), "-modfile", directModfile); err != nil {
		return "", err
	}
	defer os.Remove(out)
	return copyBinary(out, dir)
}

// directModfile is the go.mod the direct handlers are built with
// (-direct-modfile): by default the artifacts' library copies
// (internal/sdkoverlay), so that a function and its direct handler differ
// only in poolside's own code.
var directModfile string

// stripFlags are the linker flags of hello and the direct handlers: the
// artifacts' (-s -w), or none with -symbols.
var stripFlags = "-s -w"

// buildHello builds ./bench/coldstart/hello as Lambda artifacts are built.
func buildHello(out string) error { return goBuild(out, "./bench/coldstart/hello") }

// goBuild builds pkg into out with the artifacts' flags (stripFlags for the
// linker), plus flags (a -modfile).
func goBuild(out, pkg string, flags ...string) error {
	args := append(append([]string{"build"}, flags...), "-tags", "lambda.norpc", "-trimpath", "-ldflags", stripFlags, "-o", out, pkg)
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

func peakRSS(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			_, _ = fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
			return kb * 1024
		}
	}
	return 0
}

func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	return fmt.Sprintf("%s %s %s (1/5/15 min), %d CPUs", f[0], f[1], f[2], runtime.NumCPU())
}

func median[T int64 | time.Duration](d []T) T {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// spread returns the mean, the 90th percentile (nearest rank) and the
// largest of d: a cold start's tail, which the medians above do not show.
func spread(d []time.Duration) (mean, p90, largest time.Duration) {
	s := slices.Clone(d)
	slices.Sort(s)
	var sum time.Duration
	for _, v := range s {
		sum += v
	}
	return sum / time.Duration(len(s)), s[(len(s)*9+9)/10-1], s[len(s)-1]
}

// roundRatio is the last round's ratio of medians, fn over hello: the last
// runs samples of each side.
func roundRatio(hello, fn []time.Duration, runs int) float64 {
	return float64(median(fn[len(fn)-runs:])) / float64(median(hello[len(hello)-runs:]))
}

// summary returns the mean, the lowest and the highest of x (not empty).
func summary(x []float64) (mean, lowest, highest float64) {
	lowest, highest = x[0], x[0]
	for _, v := range x {
		mean += v
		lowest, highest = min(lowest, v), max(highest, v)
	}
	return mean / float64(len(x)), lowest, highest
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }
