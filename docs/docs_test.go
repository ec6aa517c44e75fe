package docs_test

// The pages in docs/ are written for users and their examples are tested:
// this file runs every example through the real quarry binary and compares
// what it prints with what the page says it prints.
//
// Markers, in the info string of a fenced code block:
//
//	```sql {test}         run with `quarry sql` (the block is its standard input)
//	```sh {test}          run with bash -e (quarry on PATH)
//	```sql {test error}   as above, but the command must fail
//	```sh {test s3}       needs an S3-compatible server (QUARRY_TEST_S3_ENDPOINT)
//	```text {expect}      standard output of the test block above it
//	```text {expect-stderr}
//	                      standard error of the test block above it
//
// A page's blocks run in order against one catalog (QUARRY_HOME) and one
// working directory, both fresh per page. ${DOCS} in a block, and in its
// expected output, stands for the absolute path of docs/examples. Lines are
// compared after trimming trailing spaces, and "N rows in 12ms" becomes
// "N rows in T" on both sides, since timings vary. A test block without an
// expect block only has to succeed (or fail, with error).
//
// QUARRY_DOCS_UPDATE=1 go test ./docs/ rewrites the expect blocks with what
// quarry printed: review the diff before committing it.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

type block struct {
	page  string
	line  int    // line of the opening fence
	end   int    // line of the closing fence
	lang  string // sql, sh, text, ...
	attrs []string
	body  string
}

func (b *block) has(a string) bool { return slices.Contains(b.attrs, a) }

// example is a runnable block with what it is expected to print.
type example struct {
	run            *block
	stdout, stderr *block // nil: not checked
}

var fence = regexp.MustCompile("^```([A-Za-z0-9_-]*)\\s*(?:\\{([^}]*)\\})?\\s*$")

// parsePage returns the fenced blocks of a Markdown page.
func parsePage(t *testing.T, path string) []*block {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []*block
	var cur *block
	var body strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if cur != nil {
			if strings.TrimSpace(line) == "```" {
				cur.body, cur.end = body.String(), n
				blocks = append(blocks, cur)
				cur = nil
				continue
			}
			body.WriteString(line)
			body.WriteByte('\n')
			continue
		}
		if m := fence.FindStringSubmatch(line); m != nil {
			cur = &block{page: filepath.Base(path), line: n, lang: m[1], attrs: strings.Fields(m[2])}
			body.Reset()
		}
	}
	if cur != nil {
		t.Fatalf("%s:%d: unterminated code block", path, cur.line)
	}
	return blocks
}

// examples pairs runnable blocks with their expected output and rejects
// markers it does not know, so a typo cannot silently skip an example.
func examples(t *testing.T, blocks []*block) []*example {
	t.Helper()
	var out []*example
	var last *example
	for _, b := range blocks {
		if len(b.attrs) == 0 {
			last = nil
			continue
		}
		switch b.attrs[0] {
		case "test":
			for _, a := range b.attrs[1:] {
				if a != "error" && a != "s3" {
					t.Fatalf("%s:%d: unknown marker %q (want error or s3)", b.page, b.line, a)
				}
			}
			if b.lang != "sql" && b.lang != "sh" {
				t.Fatalf("%s:%d: {test} on a %q block; only sql and sh run", b.page, b.line, b.lang)
			}
			last = &example{run: b}
			out = append(out, last)
		case "expect", "expect-stderr":
			if last == nil {
				t.Fatalf("%s:%d: {%s} does not follow a {test} block", b.page, b.line, b.attrs[0])
			}
			dst := &last.stdout
			if b.attrs[0] == "expect-stderr" {
				dst = &last.stderr
			}
			if *dst != nil {
				t.Fatalf("%s:%d: a second {%s} for the block at line %d", b.page, b.line, b.attrs[0], last.run.line)
			}
			*dst = b
		default:
			t.Fatalf("%s:%d: unknown marker {%s}", b.page, b.line, strings.Join(b.attrs, " "))
		}
	}
	return out
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// quarryDir builds the quarry binary once and returns its folder.
func quarryDir(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "quarry-docs-bin")
		if buildErr != nil {
			return
		}
		name := "quarry"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, name), "./cmd/quarry")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/quarry: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var elapsed = regexp.MustCompile(`(\d+ rows?) in [0-9][0-9.a-zµ]*`)

// normalize trims trailing spaces and blank lines and hides timings.
func normalize(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = elapsed.ReplaceAllString(strings.TrimRight(l, " \t\r"), "$1 in T")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func TestDocs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the shell examples need bash")
	}
	pages, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no pages in docs/")
	}
	docs, err := filepath.Abs("examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range pages {
		t.Run(strings.TrimSuffix(page, ".md"), func(t *testing.T) {
			t.Parallel()
			runPage(t, page, docs)
		})
	}
}

func runPage(t *testing.T, page, docs string) {
	exs := examples(t, parsePage(t, page))
	if len(exs) == 0 {
		return
	}
	bin := quarryDir(t)
	root := t.TempDir()
	home, work, userHome := filepath.Join(root, "catalog"), filepath.Join(root, "work"), filepath.Join(root, "home")
	for _, d := range []string{work, userHome} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(),
		"QUARRY_HOME="+home,
		"HOME="+userHome,
		"DOCS="+docs,
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
	)
	s3Ready := false
	update := os.Getenv("QUARRY_DOCS_UPDATE") == "1"
	var updates []edit
	defer func() {
		if len(updates) > 0 {
			rewrite(t, page, updates)
		}
	}()
	for _, ex := range exs {
		b := ex.run
		where := fmt.Sprintf("%s:%d", b.page, b.line)
		if b.has("s3") && !s3Ready {
			s3env, ok := setupS3(t, docs, where)
			if !ok {
				return
			}
			env = append(env, s3env...)
			s3Ready = true
		}
		script := strings.ReplaceAll(b.body, "${DOCS}", docs)
		var cmd *exec.Cmd
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if b.lang == "sql" {
			cmd = exec.CommandContext(ctx, filepath.Join(bin, "quarry"), "sql")
			cmd.Stdin = strings.NewReader(script)
		} else {
			cmd = exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", script)
		}
		cmd.Dir, cmd.Env = work, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("%s: %v", where, err)
		}
		switch {
		case b.has("error") && err == nil:
			t.Errorf("%s: the example should fail but succeeded\nstdout:\n%s\nstderr:\n%s", where, stdout.String(), stderr.String())
		case !b.has("error") && err != nil:
			t.Errorf("%s: %v\nstdout:\n%s\nstderr:\n%s", where, err, stdout.String(), stderr.String())
			continue
		}
		check := func(what string, want *block, got string) {
			if want == nil {
				return
			}
			if update {
				lines := strings.Split(strings.TrimRight(strings.ReplaceAll(got, docs, "${DOCS}"), "\n"), "\n")
				for i, l := range lines {
					lines[i] = strings.TrimRight(l, " \t\r")
				}
				updates = append(updates, edit{want, strings.Join(lines, "\n")})
				return
			}
			w := normalize(strings.ReplaceAll(want.body, "${DOCS}", docs))
			g := normalize(got)
			if w != g {
				t.Errorf("%s: %s differs from the page (expected block at line %d)\n--- page\n%s\n--- quarry\n%s", where, what, want.line, w, g)
			}
		}
		check("stdout", ex.stdout, stdout.String())
		check("stderr", ex.stderr, stderr.String())
	}
}

// edit replaces the body of an expect block.
type edit struct {
	b    *block
	body string
}

// rewrite applies edits to a page, last block first so line numbers hold.
func rewrite(t *testing.T, page string, edits []edit) {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	slices.SortFunc(edits, func(a, b edit) int { return b.b.line - a.b.line })
	for _, e := range edits {
		var body []string
		if e.body != "" {
			body = strings.Split(e.body, "\n")
		}
		lines = slices.Replace(lines, e.b.line, e.b.end-1, body...)
	}
	if err := os.WriteFile(page, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("rewrote %d expect blocks of %s", len(edits), page)
}

// s3Bucket is the bucket the S3 examples read.
const s3Bucket = "quarry-docs"

// setupS3 uploads docs/examples/shop into s3://quarry-docs/shop/ on the
// test S3 server (see .ci/s3-server.sh) and returns the environment that
// points quarry at it. It reports false when the test was skipped for want
// of a server.
func setupS3(t *testing.T, docs, where string) ([]string, bool) {
	t.Helper()
	ep := os.Getenv("QUARRY_TEST_S3_ENDPOINT")
	if ep == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: QUARRY_TEST_S3_ENDPOINT is unset in CI: source .ci/s3-server.sh first", where)
		}
		t.Skipf("%s: QUARRY_TEST_S3_ENDPOINT is unset; run `source .ci/s3-server.sh` to test the S3 examples", where)
		return nil, false
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = "us-east-1"
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		t.Fatal(err)
	}
	client := awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		o.BaseEndpoint = aws.String(ep)
		o.UsePathStyle = true
	})
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(s3Bucket)}); err != nil &&
		!strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") && !strings.Contains(err.Error(), "BucketAlreadyExists") {
		t.Fatalf("%s: create bucket %s: %v", where, s3Bucket, err)
	}
	err = filepath.WalkDir(filepath.Join(docs, "shop"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(docs, p)
		_, err = client.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(filepath.ToSlash(rel)), Body: bytes.NewReader(data)})
		return err
	})
	if err != nil {
		t.Fatalf("%s: upload examples: %v", where, err)
	}
	return []string{"AWS_ENDPOINT_URL=" + ep, "AWS_REGION=" + region}, true
}
