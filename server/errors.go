package server

import (
	"context"
	"errors"
	"strings"

	"github.com/quarry-sql/quarry/catalog"
	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/plan"
	"github.com/quarry-sql/quarry/sql/parser"
	"github.com/quarry-sql/quarry/sql/token"
)

// errorCode is one of Trino's StandardErrorCode values.
type errorCode struct {
	Code int
	Name string
	Type string // USER_ERROR, INTERNAL_ERROR, INSUFFICIENT_RESOURCES, EXTERNAL
}

// The Trino error codes Quarry reports (numbers from Trino's SPI).
var (
	errGenericUser       = errorCode{0, "GENERIC_USER_ERROR", "USER_ERROR"}
	errSyntax            = errorCode{1, "SYNTAX_ERROR", "USER_ERROR"}
	errAbandoned         = errorCode{2, "ABANDONED_QUERY", "USER_ERROR"}
	errUserCanceled      = errorCode{3, "USER_CANCELED", "USER_ERROR"}
	errPermissionDenied  = errorCode{4, "PERMISSION_DENIED", "USER_ERROR"}
	errNotFound          = errorCode{5, "NOT_FOUND", "USER_ERROR"}
	errFunctionNotFound  = errorCode{6, "FUNCTION_NOT_FOUND", "USER_ERROR"}
	errDivisionByZero    = errorCode{8, "DIVISION_BY_ZERO", "USER_ERROR"}
	errInvalidCast       = errorCode{9, "INVALID_CAST_ARGUMENT", "USER_ERROR"}
	errNotSupported      = errorCode{13, "NOT_SUPPORTED", "USER_ERROR"}
	errSchemaNotEmpty    = errorCode{34, "SCHEMA_NOT_EMPTY", "USER_ERROR"}
	errTypeNotFound      = errorCode{43, "TYPE_NOT_FOUND", "USER_ERROR"}
	errCatalogNotFound   = errorCode{44, "CATALOG_NOT_FOUND", "USER_ERROR"}
	errSchemaNotFound    = errorCode{45, "SCHEMA_NOT_FOUND", "USER_ERROR"}
	errTableNotFound     = errorCode{46, "TABLE_NOT_FOUND", "USER_ERROR"}
	errColumnNotFound    = errorCode{47, "COLUMN_NOT_FOUND", "USER_ERROR"}
	errSchemaExists      = errorCode{49, "SCHEMA_ALREADY_EXISTS", "USER_ERROR"}
	errTableExists       = errorCode{50, "TABLE_ALREADY_EXISTS", "USER_ERROR"}
	errTypeMismatch      = errorCode{58, "TYPE_MISMATCH", "USER_ERROR"}
	errAmbiguousName     = errorCode{62, "AMBIGUOUS_NAME", "USER_ERROR"}
	errInvalidParameter  = errorCode{80, "INVALID_PARAMETER_USAGE", "USER_ERROR"}
	errGenericInternal   = errorCode{65536, "GENERIC_INTERNAL_ERROR", "INTERNAL_ERROR"}
	errShuttingDown      = errorCode{65545, "SERVER_SHUTTING_DOWN", "INTERNAL_ERROR"}
	errQueueFull         = errorCode{131074, "QUERY_QUEUE_FULL", "INSUFFICIENT_RESOURCES"}
	errExceededLocalMemo = errorCode{131079, "EXCEEDED_LOCAL_MEMORY_LIMIT", "INSUFFICIENT_RESOURCES"}
	errExceededScan      = errorCode{131081, "EXCEEDED_SCAN_LIMIT", "INSUFFICIENT_RESOURCES"}
)

// queryError is the protocol's QueryError.
type queryError struct {
	Message       string         `json:"message"`
	SQLState      string         `json:"sqlState,omitempty"`
	ErrorCode     int            `json:"errorCode"`
	ErrorName     string         `json:"errorName"`
	ErrorType     string         `json:"errorType"`
	ErrorLocation *errorLocation `json:"errorLocation,omitempty"`
	FailureInfo   *failureInfo   `json:"failureInfo,omitempty"`
}

type errorLocation struct {
	LineNumber   int `json:"lineNumber"`
	ColumnNumber int `json:"columnNumber"`
}

// failureInfo is Trino's FailureInfo (the Java exception, flattened).
type failureInfo struct {
	Type          string         `json:"type"`
	Message       string         `json:"message"`
	Suppressed    []failureInfo  `json:"suppressed"`
	Stack         []string       `json:"stack"`
	ErrorLocation *errorLocation `json:"errorLocation,omitempty"`
}

// codedError is an error the server raises itself with a known code.
type codedError struct {
	code errorCode
	msg  string
}

func (e *codedError) Error() string { return e.msg }

func newCoded(code errorCode, msg string) error { return &codedError{code: code, msg: msg} }

// toQueryError maps an engine error to Trino's error shape by phase:
// syntax, semantic (named by what is missing), resource, cancellation,
// else internal.
func toQueryError(err error) *queryError {
	var (
		code     errorCode
		pos      token.Pos
		javaType string
	)
	msg := err.Error()
	var (
		ce    *codedError
		perr  *parser.Error
		plist parser.ErrorList
		serr  *plan.SemanticError
		rerr  *exec.ResourceError
		slerr *engine.ScanLimitError
	)
	switch {
	case errors.As(err, &ce):
		code, javaType = ce.code, "io.trino.spi.TrinoException"
	case errors.As(err, &plist) && len(plist) > 0:
		code, pos, javaType = errSyntax, plist[0].Pos, "io.trino.sql.parser.ParsingException"
		msg = plist[0].Error()
	case errors.As(err, &perr):
		code, pos, javaType = errSyntax, perr.Pos, "io.trino.sql.parser.ParsingException"
	case errors.As(err, &serr):
		code, pos, javaType = semanticCode(serr.Msg), serr.Pos, "io.trino.spi.TrinoException"
	case errors.As(err, &rerr):
		code, javaType = errExceededLocalMemo, "io.trino.ExceededMemoryLimitException"
	case errors.As(err, &slerr):
		code, javaType = errExceededScan, "io.trino.spi.TrinoException"
	case errors.Is(err, context.Canceled):
		code, javaType = errUserCanceled, "io.trino.spi.TrinoException"
		msg = "Query was canceled"
	case errors.Is(err, catalog.ErrNotFound):
		code, javaType = notFoundCode(msg), "io.trino.spi.TrinoException"
	case errors.Is(err, catalog.ErrExists):
		code, javaType = errTableExists, "io.trino.spi.TrinoException"
		if strings.HasPrefix(strings.ToLower(msg), "schema") {
			code = errSchemaExists
		}
	case errors.Is(err, catalog.ErrNotEmpty):
		code, javaType = errSchemaNotEmpty, "io.trino.spi.TrinoException"
	case errors.Is(err, catalog.ErrUnsupported):
		code, javaType = errNotSupported, "io.trino.spi.TrinoException"
	case errors.Is(err, catalog.ErrInvalid):
		code, javaType = errGenericUser, "io.trino.spi.TrinoException"
	case strings.Contains(msg, "Division by zero"):
		code, javaType = errDivisionByZero, "io.trino.spi.TrinoException"
	case strings.Contains(msg, "Cannot cast") || strings.Contains(msg, "cannot be cast"):
		code, javaType = errInvalidCast, "io.trino.spi.TrinoException"
	default:
		code, javaType = errGenericInternal, "java.lang.RuntimeException"
		// Panics carry a stack trace (logged); the client gets the first line.
		if i := strings.IndexByte(msg, '\n'); i > 0 && strings.HasPrefix(msg, "internal error") {
			msg = msg[:i]
		}
	}
	qe := &queryError{Message: msg, ErrorCode: code.Code, ErrorName: code.Name, ErrorType: code.Type}
	if pos.IsValid() {
		qe.ErrorLocation = &errorLocation{LineNumber: pos.Line, ColumnNumber: pos.Col}
	}
	qe.FailureInfo = &failureInfo{Type: javaType, Message: msg, Suppressed: []failureInfo{}, Stack: []string{}, ErrorLocation: qe.ErrorLocation}
	return qe
}

// semanticCode names a binder error by what it says is wrong.
func semanticCode(msg string) errorCode {
	switch m := strings.ToLower(msg); {
	case strings.HasPrefix(m, "column ") && strings.Contains(m, "cannot be resolved"):
		return errColumnNotFound
	case strings.Contains(m, "is ambiguous"):
		return errAmbiguousName
	case strings.HasPrefix(m, "catalog ") && strings.Contains(m, "does not exist"):
		return errCatalogNotFound
	case strings.HasPrefix(m, "schema ") && strings.Contains(m, "does not exist"):
		return errSchemaNotFound
	case strings.HasPrefix(m, "table ") && (strings.Contains(m, "does not exist") || strings.Contains(m, "not found")):
		return errTableNotFound
	case strings.HasPrefix(m, "function ") && strings.Contains(m, "not registered"):
		return errFunctionNotFound
	case strings.HasPrefix(m, "unknown type"):
		return errTypeNotFound
	case strings.Contains(m, "cannot cast") || strings.Contains(m, "must evaluate to a boolean") ||
		strings.Contains(m, "incompatible types") || strings.Contains(m, "common type") ||
		strings.Contains(m, "must be the same type") || strings.Contains(m, "cannot be applied"):
		return errTypeMismatch
	case strings.Contains(m, "parameters are only allowed"):
		return errInvalidParameter
	case strings.Contains(m, "not supported"):
		return errNotSupported
	}
	return errGenericUser
}

func notFoundCode(msg string) errorCode {
	switch m := strings.ToLower(msg); {
	case strings.HasPrefix(m, "schema"):
		return errSchemaNotFound
	case strings.HasPrefix(m, "table"), strings.HasPrefix(m, "view"):
		return errTableNotFound
	}
	return errNotFound
}
