package catalog

import "errors"

// Name is the name clients see for Quarry's one catalog; messages name
// tables with it, as Trino's name them catalog.schema.table.
const Name = "quarry"

// Errors, besides those in catalog.go, for callers to test with errors.Is.
// They let the engine map a catalog error to its phase in the error
// taxonomy (semantic vs unsupported) without parsing message text.
var (
	// ErrInvalid marks a definition that is wrong as written: a duplicate
	// column, a relative LOCATION, an unknown SerDe class.
	ErrInvalid = errors.New("invalid definition")
	// ErrUnsupported marks a valid Hive definition that Quarry cannot read
	// yet: STORED AS ORC, RegexSerDe.
	ErrUnsupported = errors.New("not supported")
)

// catalogError carries a complete, user-facing message while still
// matching a sentinel with errors.Is. Wrapping with %w would append the
// sentinel's own text ("...: not found"), which reads badly.
type catalogError struct {
	msg  string
	kind error
}

func (e *catalogError) Error() string { return e.msg }
func (e *catalogError) Unwrap() error { return e.kind }

func newError(kind error, msg string) error { return &catalogError{msg: msg, kind: kind} }

// ErrNotEmpty marks DROP SCHEMA of a schema that still holds tables or
// views, without CASCADE.
var ErrNotEmpty = errors.New("schema is not empty")
