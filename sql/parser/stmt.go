package parser

import (
	"strconv"
	"strings"

	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/sql/token"
)

var statementStarts = []token.Kind{
	token.SELECT, token.WITH, token.VALUES, token.TABLE, token.LPAREN, token.EXPLAIN, token.USE, token.CREATE,
	token.DROP, token.ALTER, token.MSCK, token.SHOW, token.DESCRIBE, token.DESC, token.INSERT, token.UNLOAD,
	token.SET, token.RESET, token.PREPARE, token.EXECUTE, token.DEALLOCATE,
}

func (p *parser) parseStatement() ast.Statement {
	p.enter()
	defer p.leave()
	t := p.cur()
	start := t.Pos
	switch t.Kind {
	case token.SELECT, token.WITH, token.VALUES, token.TABLE, token.LPAREN:
		return p.parseQuery()
	case token.EXPLAIN:
		return p.parseExplain()
	case token.USE:
		p.next()
		name := p.parseQualifiedName()
		return &ast.Use{Span: p.span(start), Schema: name}
	case token.CREATE:
		return p.parseCreate()
	case token.DROP:
		return p.parseDrop()
	case token.ALTER:
		return p.parseAlter()
	case token.MSCK:
		p.next()
		p.expectKind(token.REPAIR)
		p.expectKind(token.TABLE)
		name := p.parseQualifiedName()
		return &ast.MsckRepair{Span: p.span(start), Table: name}
	case token.SHOW:
		return p.parseShow()
	case token.DESCRIBE, token.DESC:
		p.next()
		d := &ast.Describe{}
		if k := p.cur().Kind; (k == token.EXTENDED || k == token.FORMATTED) && isIdentKind(p.peek(1).Kind) {
			d.Modifier = p.next().Kind.Keyword()
		}
		d.Table = p.parseQualifiedName()
		d.Span = p.span(start)
		return d
	case token.INSERT:
		return p.parseInsert()
	case token.IDENT:
		if strings.EqualFold(t.Text, "CALL") {
			return p.parseCallStatement(start)
		}
	case token.UNLOAD:
		p.next()
		p.expectKind(token.LPAREN)
		u := &ast.Unload{Query: p.parseQuery()}
		p.expectKind(token.RPAREN)
		p.expectKind(token.TO)
		u.Location = p.expectKind(token.STRING).Value
		if p.at(token.WITH) {
			u.With = p.parseWithProperties()
		}
		u.Span = p.span(start)
		return u
	case token.SET:
		p.next()
		p.expectKind(token.SESSION)
		s := &ast.SetSession{Name: p.parseQualifiedName()}
		p.expectKind(token.EQ)
		s.Value = p.parseExpr()
		s.Span = p.span(start)
		return s
	case token.RESET:
		p.next()
		p.expectKind(token.SESSION)
		name := p.parseQualifiedName()
		return &ast.ResetSession{Span: p.span(start), Name: name}
	case token.PREPARE:
		p.next()
		name := p.parseIdent()
		p.expectKind(token.FROM)
		st := p.parseStatement()
		return &ast.Prepare{Span: p.span(start), Name: name, Stmt: st}
	case token.EXECUTE:
		p.next()
		e := &ast.Execute{Name: p.parseIdent()}
		if p.accept(token.USING) {
			e.Using = p.parseExprList()
		}
		e.Span = p.span(start)
		return e
	case token.DEALLOCATE:
		p.next()
		p.expectKind(token.PREPARE)
		name := p.parseIdent()
		return &ast.Deallocate{Span: p.span(start), Name: name}
	}
	for _, k := range statementStarts {
		p.expect(k.String())
	}
	p.fail()
	return nil
}

func (p *parser) parseExplain() ast.Statement {
	start := p.next().Pos
	e := &ast.Explain{}
	if p.cur().Kind == token.ANALYZE {
		p.next()
		e.Analyze = true
	}
	if p.cur().Kind == token.VERBOSE {
		p.next()
		e.Verbose = true
	}
	if p.cur().Kind == token.LPAREN && (p.peek(1).Kind == token.TYPE || p.peek(1).Kind == token.FORMAT) {
		p.next()
		for {
			os := p.cur().Pos
			opt := &ast.ExplainOption{}
			var allowed []token.Kind
			switch {
			case p.accept(token.TYPE):
				opt.Kind = "TYPE"
				allowed = []token.Kind{token.LOGICAL, token.DISTRIBUTED, token.IO, token.VALIDATE}
			case p.accept(token.FORMAT):
				opt.Kind = "FORMAT"
				allowed = []token.Kind{token.TEXT, token.GRAPHVIZ, token.JSON}
			default:
				p.fail()
			}
			for _, k := range allowed {
				if p.at(k) {
					opt.Value = p.next().Kind.Keyword()
					break
				}
			}
			if opt.Value == "" {
				p.fail()
			}
			opt.Span = p.span(os)
			e.Options = append(e.Options, opt)
			if !p.accept(token.COMMA) {
				break
			}
		}
		p.expectKind(token.RPAREN)
	}
	e.Stmt = p.parseStatement()
	e.Span = p.span(start)
	return e
}

func (p *parser) parseIfNotExists() bool {
	if p.cur().Kind == token.IF {
		p.next()
		p.expectKind(token.NOT)
		p.expectKind(token.EXISTS)
		return true
	}
	p.expect("'IF'")
	return false
}

func (p *parser) parseIfExists() bool {
	if p.cur().Kind == token.IF {
		p.next()
		p.expectKind(token.EXISTS)
		return true
	}
	p.expect("'IF'")
	return false
}

func (p *parser) parseCreate() ast.Statement {
	start := p.next().Pos
	switch {
	case p.at(token.SCHEMA) || p.at(token.DATABASE):
		return p.parseCreateSchema(start)
	case p.at(token.OR) || p.at(token.VIEW):
		return p.parseCreateView(start)
	case p.at(token.EXTERNAL) || p.at(token.TABLE):
		return p.parseCreateTable(start)
	case p.cur().Kind == token.IDENT && (strings.EqualFold(p.cur().Text, "INDEX") || strings.EqualFold(p.cur().Text, "UNIQUE")):
		return p.parseCreateIndex(start)
	}
	p.fail()
	return nil
}

func (p *parser) parseCallStatement(start token.Pos) ast.Statement {
	p.next()
	c := &ast.Call{Name: p.parseQualifiedName()}
	p.expectKind(token.LPAREN)
	if !p.at(token.RPAREN) {
		for {
			a := &ast.CallArgument{}
			if isIdentKind(p.cur().Kind) && p.peek(1).Kind == token.FATARROW {
				a.Name = p.parseIdent()
				p.next()
			}
			a.Value = p.parseExpr()
			c.Args = append(c.Args, a)
			if !p.accept(token.COMMA) {
				break
			}
		}
	}
	p.expectKind(token.RPAREN)
	c.Span = p.span(start)
	return c
}

func (p *parser) parseCreateIndex(start token.Pos) ast.Statement {
	x := &ast.CreateIndex{}
	if strings.EqualFold(p.cur().Text, "UNIQUE") {
		p.next()
		x.Unique = true
	}
	if !p.atWord("INDEX") {
		return nil
	}
	p.next()
	x.IfNotExists = p.parseIfNotExists()
	x.Name = p.parseQualifiedName()
	p.expectKind(token.ON)
	x.Table = p.parseQualifiedName()
	p.expectKind(token.LPAREN)
	for {
		c := &ast.IndexColumn{Name: p.parseIdent()}
		if p.accept(token.ASC) {
			c.Order = "ASC"
		} else if p.accept(token.DESC) {
			c.Order = "DESC"
		}
		x.Columns = append(x.Columns, c)
		if !p.accept(token.COMMA) {
			break
		}
	}
	p.expectKind(token.RPAREN)
	x.Span = p.span(start)
	return x
}

func (p *parser) parseCreateSchema(start token.Pos) ast.Statement {
	s := &ast.CreateSchema{Database: p.next().Kind == token.DATABASE}
	s.IfNotExists = p.parseIfNotExists()
	s.Name = p.parseQualifiedName()
	for {
		switch {
		case s.Comment == nil && p.at(token.COMMENT):
			p.next()
			c := p.parseHiveString()
			s.Comment = &c
		case s.Location == nil && p.at(token.LOCATION):
			p.next()
			l := p.parseHiveString()
			s.Location = &l
		case p.cur().Kind == token.WITH && p.peek(1).Kind == token.DBPROPERTIES && s.DBProperties == nil:
			p.next()
			p.next()
			s.DBProperties = p.parseHiveProperties()
		case p.cur().Kind == token.WITH && p.peek(1).Kind == token.LPAREN && s.With == nil:
			s.With = p.parseWithProperties()
		default:
			p.expect("'WITH'")
			s.Span = p.span(start)
			return s
		}
	}
}

func (p *parser) parseCreateView(start token.Pos) ast.Statement {
	v := &ast.CreateView{}
	if p.accept(token.OR) {
		p.expectKind(token.REPLACE)
		v.OrReplace = true
	}
	p.expectKind(token.VIEW)
	v.Name = p.parseQualifiedName()
	if p.at(token.LPAREN) {
		v.Columns = p.parseParenIdentList()
	}
	if p.at(token.COMMENT) {
		p.next()
		c := p.expectKind(token.STRING).Value
		v.Comment = &c
	}
	if p.at(token.SECURITY) {
		p.next()
		if p.accept(token.DEFINER) {
			v.Security = "DEFINER"
		} else {
			p.expectKind(token.INVOKER)
			v.Security = "INVOKER"
		}
	}
	p.expectKind(token.AS)
	qs := p.cur().Pos
	v.Query = p.parseQuery()
	v.QueryText = p.src[qs.Offset:p.prevEnd.Offset]
	v.Span = p.span(start)
	return v
}

func (p *parser) parseCreateTable(start token.Pos) ast.Statement {
	ct := &ast.CreateTable{}
	if p.accept(token.EXTERNAL) {
		ct.External = true
	}
	p.expectKind(token.TABLE)
	ct.IfNotExists = p.parseIfNotExists()
	ct.Name = p.parseQualifiedName()
	if p.at(token.LPAREN) {
		ct.Columns = p.parseColumnDefs(true)
	}
	seen := map[string]bool{}
	once := func(clause string, pos token.Pos) {
		if seen[clause] {
			p.errorf(pos, "duplicate %s clause", clause)
		}
		seen[clause] = true
	}
clauses:
	for {
		t := p.cur()
		switch {
		case p.at(token.COMMENT):
			once("COMMENT", t.Pos)
			p.next()
			c := p.parseHiveString()
			ct.Comment = &c
		case p.at(token.PARTITIONED):
			once("PARTITIONED BY", t.Pos)
			p.next()
			p.expectKind(token.BY)
			ct.PartitionedBy = p.parseColumnDefs(true)
		case p.at(token.CLUSTERED):
			once("CLUSTERED BY", t.Pos)
			p.next()
			p.expectKind(token.BY)
			ct.ClusteredBy = p.parseParenIdentList()
			p.expectKind(token.INTO)
			bt := p.expectKind(token.NUM_INT)
			n, err := strconv.Atoi(bt.Text)
			if err != nil || n <= 0 || n > 1<<20 {
				p.errorf(bt.Pos, "invalid bucket count: %s", bt.Text)
			}
			ct.Buckets = n
			p.expectKind(token.BUCKETS)
		case p.at(token.ROW):
			once("ROW FORMAT", t.Pos)
			ct.RowFormat = p.parseRowFormat(ct.RowFormat)
		case p.cur().Kind == token.WITH && p.peek(1).Kind == token.SERDEPROPERTIES:
			once("WITH SERDEPROPERTIES", t.Pos)
			p.next()
			p.next()
			if ct.RowFormat == nil {
				ct.RowFormat = &ast.RowFormat{Span: ast.Span{From: t.Pos}}
			}
			if ct.RowFormat.Delimited {
				p.errorAt(t.Pos, "WITH SERDEPROPERTIES cannot be used with ROW FORMAT DELIMITED")
			}
			ct.RowFormat.SerDeProps = p.parseHiveProperties()
			ct.RowFormat.Span.To = p.prevEnd
		case p.at(token.STORED):
			once("STORED AS", t.Pos)
			p.next()
			p.expectKind(token.AS)
			if p.accept(token.INPUTFORMAT) {
				ct.InputFormat = p.parseHiveString()
				p.expectKind(token.OUTPUTFORMAT)
				ct.OutputFormat = p.parseHiveString()
			} else {
				ct.StoredAs = strings.ToUpper(p.parseIdent().Name)
			}
		case p.at(token.LOCATION):
			once("LOCATION", t.Pos)
			p.next()
			l := p.parseHiveString()
			ct.Location = &l
		case p.at(token.TBLPROPERTIES):
			once("TBLPROPERTIES", t.Pos)
			p.next()
			ct.TblProperties = p.parseHiveProperties()
		case p.cur().Kind == token.WITH && p.peek(1).Kind == token.LPAREN:
			once("WITH", t.Pos)
			ct.With = p.parseWithProperties()
		default:
			p.expect("'WITH'")
			break clauses
		}
	}
	if p.accept(token.AS) {
		ct.AsQuery = p.parseQuery()
		if p.cur().Kind == token.WITH && (p.peek(1).Kind == token.DATA || p.peek(1).Kind == token.NO) {
			p.next()
			if p.accept(token.NO) {
				ct.NoData = true
			}
			p.expectKind(token.DATA)
		} else {
			p.expect("'WITH'")
		}
	} else if len(ct.Columns) == 0 && ct.Location == nil {
		// Without columns the table's columns are inferred from its files,
		// which needs a LOCATION.
		p.failExpecting("'('")
	}
	for _, c := range ct.Columns {
		if c.Type == nil && ct.AsQuery == nil {
			p.errorf(c.End(), "missing type for column %s", ast.FormatIdent(c.Name))
		}
	}
	ct.Span = p.span(start)
	return ct
}

// parseColumnDefs parses '(' name type [NOT NULL] [PRIMARY KEY] [COMMENT
// '...'], ... ')'. A bare name (no type) is allowed for CREATE TABLE AS
// column lists; the caller rejects it elsewhere.
func (p *parser) parseColumnDefs(allowBare bool) []*ast.ColumnDef {
	p.expectKind(token.LPAREN)
	var cols []*ast.ColumnDef
	for {
		start := p.cur().Pos
		c := &ast.ColumnDef{Name: p.parseIdent()}
		if k := p.cur().Kind; !(allowBare && (k == token.COMMA || k == token.RPAREN)) {
			c.Type = p.parseType()
			for {
				switch {
				case p.cur().Kind == token.NOT && p.peek(1).Kind == token.NULL:
					p.next()
					p.next()
					c.NotNull = true
					continue
				case p.cur().Kind == token.IDENT && strings.EqualFold(p.cur().Text, "PRIMARY"):
					p.next()
					if !p.atWord("KEY") {
						p.fail()
					}
					p.next()
					c.PrimaryKey = true
					continue
				case p.at(token.COMMENT):
					p.next()
					c.Comment = p.parseHiveString()
					continue
				}
				break
			}
		}
		c.Span = p.span(start)
		cols = append(cols, c)
		if !p.accept(token.COMMA) {
			break
		}
	}
	p.expectKind(token.RPAREN)
	return cols
}

func (p *parser) parseRowFormat(prev *ast.RowFormat) *ast.RowFormat {
	start := p.next().Pos
	p.expectKind(token.FORMAT)
	rf := &ast.RowFormat{}
	if prev != nil {
		// WITH SERDEPROPERTIES came first.
		rf.SerDeProps = prev.SerDeProps
		start = prev.Pos()
	}
	if p.accept(token.SERDE) {
		pos := p.cur().Pos
		rf.SerDe = p.parseHiveString()
		if rf.SerDe == "" {
			p.errorAt(pos, "SERDE class name must not be empty")
		}
		if p.cur().Kind == token.WITH && p.peek(1).Kind == token.SERDEPROPERTIES {
			if rf.SerDeProps != nil {
				p.errorAt(p.cur().Pos, "duplicate WITH SERDEPROPERTIES clause")
			}
			p.next()
			p.next()
			rf.SerDeProps = p.parseHiveProperties()
		}
		rf.Span = p.span(start)
		return rf
	}
	p.expectKind(token.DELIMITED)
	if prev != nil {
		p.errorAt(start, "WITH SERDEPROPERTIES cannot be used with ROW FORMAT DELIMITED")
	}
	rf.Delimited = true
	set := func(dst **string, what string, pos token.Pos) {
		if *dst != nil {
			p.errorf(pos, "duplicate %s", what)
		}
		s := p.parseHiveString()
		*dst = &s
	}
	for {
		t := p.cur()
		switch {
		case p.at(token.FIELDS):
			p.next()
			p.expectKind(token.TERMINATED)
			p.expectKind(token.BY)
			set(&rf.FieldsTerminatedBy, "FIELDS TERMINATED BY", t.Pos)
			if p.cur().Kind == token.ESCAPED {
				p.next()
				p.expectKind(token.BY)
				set(&rf.EscapedBy, "ESCAPED BY", t.Pos)
			}
		case p.at(token.ESCAPED):
			p.next()
			p.expectKind(token.BY)
			set(&rf.EscapedBy, "ESCAPED BY", t.Pos)
		case p.at(token.COLLECTION):
			p.next()
			p.expectKind(token.ITEMS)
			p.expectKind(token.TERMINATED)
			p.expectKind(token.BY)
			set(&rf.CollectionItemsTerminatedBy, "COLLECTION ITEMS TERMINATED BY", t.Pos)
		case p.at(token.MAP):
			p.next()
			p.expectKind(token.KEYS)
			p.expectKind(token.TERMINATED)
			p.expectKind(token.BY)
			set(&rf.MapKeysTerminatedBy, "MAP KEYS TERMINATED BY", t.Pos)
		case p.at(token.LINES):
			p.next()
			p.expectKind(token.TERMINATED)
			p.expectKind(token.BY)
			set(&rf.LinesTerminatedBy, "LINES TERMINATED BY", t.Pos)
		case p.at(token.NULL):
			p.next()
			p.expectKind(token.DEFINED)
			p.expectKind(token.AS)
			set(&rf.NullDefinedAs, "NULL DEFINED AS", t.Pos)
		default:
			rf.Span = p.span(start)
			return rf
		}
	}
}

// parseHiveString reads a string literal in a Hive clause and decodes
// Hive's backslash escapes.
func (p *parser) parseHiveString() string {
	p.relexHiveString()
	t := p.expectKind(token.STRING)
	return HiveUnescape(t.Value)
}

// relexHiveString re-reads the current string token with Hive's rules when
// Trino's rules ended it early: in Hive DDL a backslash escapes the next
// character, so 'it\'s' and '\” are one string each (Athena users type
// 'quoteChar'='\”). The tokens after it are re-lexed from the new end.
func (p *parser) relexHiveString() {
	t := p.cur()
	if t.Kind != token.STRING || !strings.HasPrefix(t.Text, "'") {
		return
	}
	start := t.Pos.Offset
	i := start + 1
	var raw strings.Builder
	for i < len(p.src) {
		c := p.src[i]
		if c == '\\' && i+1 < len(p.src) {
			raw.WriteByte(c)
			raw.WriteByte(p.src[i+1])
			i += 2
			continue
		}
		if c == '\'' {
			if i+1 < len(p.src) && p.src[i+1] == '\'' {
				raw.WriteString("\\'") // a doubled quote, Trino style
				i += 2
				continue
			}
			break
		}
		raw.WriteByte(c)
		i++
	}
	if i >= len(p.src) || i+1 == t.End.Offset {
		return // unterminated (the normal error reports it), or no different
	}
	end := i + 1
	endPos := posAt(p.src, t.Pos, start, end)
	nt := token.Token{Kind: token.STRING, Pos: t.Pos, End: endPos, Text: p.src[start:end], Value: raw.String()}
	rest := token.Tokenize(p.src[end:])
	for k := range rest {
		rest[k].Pos = shiftPos(rest[k].Pos, endPos)
		rest[k].End = shiftPos(rest[k].End, endPos)
	}
	p.toks = append(append(p.toks[:p.i:p.i], nt), rest...)
}

// posAt advances from position from (at byte offset off) to byte offset to.
func posAt(src string, from token.Pos, off, to int) token.Pos {
	pos := from
	for _, r := range src[off:to] {
		if r == '\n' {
			pos.Line++
			pos.Col = 1
		} else {
			pos.Col++
		}
	}
	pos.Offset = to
	return pos
}

// shiftPos moves a position in a suffix of the source to absolute terms.
func shiftPos(p, base token.Pos) token.Pos {
	if p.Line == 1 {
		p.Col += base.Col - 1
	}
	p.Line += base.Line - 1
	p.Offset += base.Offset
	return p
}

// parseHiveProperties parses ('k' = 'v', ...).
func (p *parser) parseHiveProperties() []*ast.Property {
	p.expectKind(token.LPAREN)
	var props []*ast.Property
	if p.cur().Kind == token.RPAREN {
		p.next()
		return props
	}
	for {
		start := p.cur().Pos
		k := p.parseHiveString()
		p.expectKind(token.EQ)
		v := p.parseHiveString()
		props = append(props, &ast.Property{Span: p.span(start), Key: k, Value: v})
		if !p.accept(token.COMMA) {
			break
		}
	}
	p.expectKind(token.RPAREN)
	return props
}

// parseWithProperties parses WITH (name = expr, ...).
func (p *parser) parseWithProperties() []*ast.WithProperty {
	p.expectKind(token.WITH)
	p.expectKind(token.LPAREN)
	var props []*ast.WithProperty
	for {
		start := p.cur().Pos
		name := p.parseIdent()
		p.expectKind(token.EQ)
		v := p.parseExpr()
		props = append(props, &ast.WithProperty{Span: p.span(start), Name: name, Value: v})
		if !p.accept(token.COMMA) {
			break
		}
	}
	p.expectKind(token.RPAREN)
	return props
}

func (p *parser) parseDrop() ast.Statement {
	start := p.next().Pos
	switch {
	case p.at(token.SCHEMA) || p.at(token.DATABASE):
		d := &ast.DropSchema{Database: p.next().Kind == token.DATABASE}
		d.IfExists = p.parseIfExists()
		d.Name = p.parseQualifiedName()
		if p.accept(token.CASCADE) {
			d.Cascade = true
		} else {
			p.accept(token.RESTRICT)
		}
		d.Span = p.span(start)
		return d
	case p.at(token.TABLE):
		p.next()
		d := &ast.DropTable{IfExists: p.parseIfExists()}
		d.Name = p.parseQualifiedName()
		d.Span = p.span(start)
		return d
	case p.at(token.VIEW):
		p.next()
		d := &ast.DropView{IfExists: p.parseIfExists()}
		d.Name = p.parseQualifiedName()
		d.Span = p.span(start)
		return d
	}
	p.fail()
	return nil
}

func (p *parser) parseAlter() ast.Statement {
	start := p.next().Pos
	p.expectKind(token.TABLE)
	name := p.parseQualifiedName()
	switch {
	case p.at(token.ADD):
		p.next()
		a := &ast.AlterTableAddPartition{Table: name, IfNotExists: p.parseIfNotExists()}
		for {
			a.Partitions = append(a.Partitions, p.parsePartitionSpec(true))
			if p.cur().Kind != token.PARTITION {
				p.expect("'PARTITION'")
				break
			}
		}
		a.Span = p.span(start)
		return a
	case p.at(token.DROP):
		p.next()
		d := &ast.AlterTableDropPartition{Table: name, IfExists: p.parseIfExists()}
		for {
			d.Partitions = append(d.Partitions, p.parsePartitionSpec(false))
			if !p.accept(token.COMMA) {
				break
			}
		}
		d.Span = p.span(start)
		return d
	}
	p.fail()
	return nil
}

func (p *parser) parsePartitionSpec(withLocation bool) *ast.PartitionSpec {
	start := p.cur().Pos
	p.expectKind(token.PARTITION)
	p.expectKind(token.LPAREN)
	ps := &ast.PartitionSpec{}
	for {
		vs := p.cur().Pos
		key := p.parseIdent()
		p.expectKind(token.EQ)
		val := p.parseValue(0)
		ps.Values = append(ps.Values, &ast.PartitionValue{Span: p.span(vs), Key: key, Value: val})
		if !p.accept(token.COMMA) {
			break
		}
	}
	p.expectKind(token.RPAREN)
	if withLocation && p.at(token.LOCATION) {
		p.next()
		l := p.parseHiveString()
		ps.Location = &l
	}
	ps.Span = p.span(start)
	return ps
}

func (p *parser) parseInsert() ast.Statement {
	start := p.next().Pos
	p.expectKind(token.INTO)
	ins := &ast.Insert{Table: p.parseQualifiedName()}
	if p.cur().Kind == token.LPAREN && !startsQuery(p.peek(1).Kind) && p.peek(1).Kind != token.LPAREN {
		ins.Columns = p.parseParenIdentList()
	}
	ins.Query = p.parseQuery()
	ins.Span = p.span(start)
	return ins
}

func (p *parser) parseShow() ast.Statement {
	start := p.next().Pos
	s := &ast.Show{}
	// FROM|IN target
	target := func(required bool) {
		if p.accept(token.FROM) || p.accept(token.IN) {
			s.Target = p.parseQualifiedName()
		} else if required {
			p.fail()
		}
	}
	like := func() {
		if p.accept(token.LIKE) {
			l := p.expectKind(token.STRING).Value
			s.Like = &l
			if p.accept(token.ESCAPE) {
				e := p.expectKind(token.STRING).Value
				s.Escape = &e
			}
		}
	}
	switch {
	case p.at(token.SCHEMAS) || p.at(token.DATABASES):
		s.What = "SCHEMAS"
		s.Database = p.next().Kind == token.DATABASES
		target(false)
		like()
	case p.at(token.TABLES) || p.at(token.VIEWS):
		s.What = p.next().Kind.Keyword()
		target(false)
		if p.cur().Kind == token.STRING {
			pat := HiveUnescape(p.next().Value)
			s.Pattern = &pat
		} else {
			like()
		}
	case p.at(token.COLUMNS):
		s.What = "COLUMNS"
		p.next()
		target(true)
		if p.cur().Kind == token.FROM || p.cur().Kind == token.IN {
			// SHOW COLUMNS IN table IN db (Hive).
			p.next()
			db := p.parseQualifiedName()
			parts := append(append([]*ast.Ident{}, db.Parts...), s.Target.Parts...)
			s.Target = &ast.QualifiedName{Span: ast.Span{From: s.Target.Pos(), To: db.End()}, Parts: parts}
		}
		like()
	case p.at(token.CREATE):
		p.next()
		if p.accept(token.VIEW) {
			s.What = "CREATE VIEW"
		} else {
			p.expectKind(token.TABLE)
			s.What = "CREATE TABLE"
		}
		s.Target = p.parseQualifiedName()
	case p.at(token.PARTITIONS):
		s.What = "PARTITIONS"
		p.next()
		if !p.accept(token.FROM) {
			p.accept(token.IN)
		}
		s.Target = p.parseQualifiedName()
	case p.at(token.TBLPROPERTIES):
		s.What = "TBLPROPERTIES"
		p.next()
		s.Target = p.parseQualifiedName()
	case p.at(token.FUNCTIONS) || p.at(token.SESSION) || p.at(token.CATALOGS):
		s.What = p.next().Kind.Keyword()
		like()
	default:
		p.fail()
	}
	s.Span = p.span(start)
	return s
}
