// Command oracle renders test cases with Go's own text/template and a function map that behaves like
// Packer's legacy template functions, to produce the expected outputs in go-oracle.json.
//
// go-oracle.json holds the cases with their expected results, so it can be regenerated from itself
// (Go 1.19, the toolchain Packer 1.6.6 was built with):
//
//	GO111MODULE=off go run oracle.go < go-oracle.json > go-oracle.new.json
//
// go-fuzz.json holds randomly generated templates rendered the same way, grouped by shared data.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// ExecuteCommandTemplate mimics a provisioner's template data struct.
type ExecuteCommandTemplate struct {
	Vars       string
	Path       string
	EnvVarFile string
	hidden     string
}

type Case struct {
	Name       string            `json:"name"`
	Tpl        string            `json:"tpl"`
	Data       json.RawMessage   `json:"data,omitempty"`
	DataKind   string            `json:"dataKind,omitempty"` // "", "map", "smap", "struct"
	Vars       map[string]string `json:"vars,omitempty"`
	EnableEnv  bool              `json:"enableEnv,omitempty"`
	BuildName  string            `json:"buildName,omitempty"`
	BuildType  string            `json:"buildType,omitempty"`
	Version    string            `json:"version,omitempty"`
	TplPath    string            `json:"templatePath,omitempty"`
	MissingKey string            `json:"missingKey,omitempty"`
	Unix       int64             `json:"unix,omitempty"`
	Nanos      int64             `json:"nanos,omitempty"`
	Out        *string           `json:"out,omitempty"`
	Err        *string           `json:"err,omitempty"`
}

var defaultInitTime = time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC)

const placeholder = "To set this dynamically in the Packer template, you must use the `build` function"

var strftimeConv = map[byte]string{'B': "January", 'b': "Jan", 'm': "01", 'A': "Monday", 'a': "Mon", 'd': "02",
	'H': "15", 'I': "03", 'M': "04", 'S': "05", 'Y': "2006", 'y': "06", 'p': "PM", 'Z': "MST", 'z': "-0700", 'L': ".000"}

func strftime(format string, t time.Time) string {
	var out []byte
	for i, ni := 0, 0; i < len(format); i = ni + 2 {
		ni = strings.IndexByte(format[i:], '%')
		if ni < 0 {
			ni = len(format)
		} else {
			ni += i
		}
		out = append(out, format[i:ni]...)
		if ni+1 < len(format) {
			c := format[ni+1]
			if c == '%' {
				out = append(out, '%')
			} else if l, ok := strftimeConv[c]; ok {
				out = append(out, t.Format(l)...)
			} else {
				out = append(out, '%', c)
			}
		} else if ni < len(format) {
			out = append(out, '%')
		}
	}
	return string(out)
}

func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case map[string]interface{}:
		for k, e := range x {
			x[k] = convert(e)
		}
		return x
	case []interface{}:
		for i, e := range x {
			x[i] = convert(e)
		}
		return x
	}
	return v
}

func funcs(c *Case) template.FuncMap {
	initTime := defaultInitTime
	if c.Unix != 0 {
		initTime = time.Unix(c.Unix, c.Nanos).UTC()
	}
	return template.FuncMap{
		"build_name": func() (string, error) {
			if c.BuildName == "" {
				return "", errors.New("build_name not available")
			}
			return c.BuildName, nil
		},
		"build_type": func() (string, error) {
			if c.BuildType == "" {
				return "", errors.New("build_type not available")
			}
			return c.BuildType, nil
		},
		"env": func(k string) (string, error) {
			if !c.EnableEnv {
				return "", errors.New("env vars are not allowed here")
			}
			return os.Getenv(k), nil
		},
		"isotime": func(format ...string) (string, error) {
			if len(format) == 0 {
				return initTime.Format(time.RFC3339), nil
			}
			if len(format) > 1 {
				return "", fmt.Errorf("too many values, 1 needed: %v", format)
			}
			return initTime.Format(format[0]), nil
		},
		"strftime": func(format string) string { return strftime(format, initTime) },
		"pwd":      func() (string, error) { return "/work/dir", nil },
		"split": func(k string, s string, i int) (string, error) {
			split := strings.Split(k, s)
			if len(split) <= i {
				return "", fmt.Errorf("the substring %d was unavailable using the separator value, %s, only %d values were found", i, s, len(split))
			}
			return split[i], nil
		},
		"template_dir": func() (string, error) {
			if c.TplPath == "" {
				return "", errors.New("template path not available")
			}
			return filepath.Join("/work/dir", filepath.Dir(c.TplPath)), nil
		},
		"timestamp": func() string { return strconv.FormatInt(initTime.Unix(), 10) },
		"uuid":      func() string { return "00000000-0000-0000-0000-000000000000" },
		"user": func(k string) (string, error) {
			if c.Vars == nil {
				return "", errors.New("no user variables are set in the interpolation context")
			}
			val, ok := c.Vars[k]
			if c.EnableEnv && !ok {
				return "", fmt.Errorf("%s %s", "Error: variable not set:", k)
			}
			return val, nil
		},
		"packer_version": func() (string, error) {
			if c.Version == "" {
				return "", errors.New("packer_version not available")
			}
			return c.Version, nil
		},
		"sed": func(expression string, inputString string) (string, error) {
			return "", errors.New("template function `sed` is deprecated " +
				"use `replace` or `replace_all` instead." +
				"Documentation: https://www.packer.io/docs/templates/engine")
		},
		"build": func(s string) (string, error) {
			var data map[string]interface{}
			switch d := c.dataValue().(type) {
			case map[string]interface{}:
				data = d
			case map[string]string:
				data = map[string]interface{}{}
				for k, v := range d {
					data[k] = v
				}
			default:
				return "", fmt.Errorf("Error validating build variable: the given "+
					"variable %s will not be passed into your plugin.", s)
			}
			if held, ok := data[s]; ok {
				if hp, ok := held.(string); ok {
					if strings.Contains(hp, placeholder) {
						return fmt.Sprintf("{{.%s}}", s), nil
					}
					return hp, nil
				}
			}
			return "", fmt.Errorf("loaded data, but couldnt find %s in it.", s)
		},
		"replace_all": func(old, new, src string) string { return strings.ReplaceAll(src, old, new) },
		"replace":     func(old, new string, n int, src string) string { return strings.Replace(src, old, new, n) },
		"upper":       strings.ToUpper,
		"lower":       strings.ToLower,
	}
}

var dataCache = map[*Case]interface{}{}

func (c *Case) dataValue() interface{} {
	if v, ok := dataCache[c]; ok {
		return v
	}
	var v interface{}
	switch c.DataKind {
	case "struct":
		var s ExecuteCommandTemplate
		json.Unmarshal(c.Data, &s)
		s.hidden = "h"
		v = &s
	case "smap":
		var m map[string]string
		json.Unmarshal(c.Data, &m)
		v = m
	default:
		if len(c.Data) > 0 {
			d := json.NewDecoder(bytes.NewReader(c.Data))
			d.UseNumber()
			var x interface{}
			d.Decode(&x)
			v = convert(x)
		}
	}
	dataCache[c] = v
	return v
}

func run(c *Case) (string, error) {
	t := template.New("root").Funcs(funcs(c))
	if c.MissingKey != "" {
		t = t.Option("missingkey=" + c.MissingKey)
	}
	t, err := t.Parse(c.Tpl)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, c.dataValue()); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func main() {
	var cases []*Case
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	for _, c := range cases {
		out, err := run(c)
		if err != nil {
			e := err.Error()
			c.Err = &e
		} else {
			c.Out = &out
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	enc.Encode(cases)
}
