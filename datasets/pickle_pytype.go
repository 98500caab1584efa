package datasets

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/nlpodyssey/gopickle/types"
)

// pyType names the Python type of a decoded pickle value for error
// messages ("dict", "list", "int", "networkx Graph"), instead of the Go
// type the decoder happens to use.
func pyType(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int, int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte:
		return "bytes"
	case *types.ByteArray:
		return "bytearray"
	case *types.Dict, *types.OrderedDict:
		return "dict"
	case *types.List:
		return "list"
	case *types.Tuple:
		return fmt.Sprintf("tuple of %d", x.Len())
	case *types.Set:
		return "set"
	case *types.FrozenSet:
		return "frozenset"
	case *nxGraph:
		return "networkx Graph"
	case *npArray:
		return "numpy array"
	case *npDtype:
		return "numpy dtype"
	}
	return fmt.Sprintf("%T", v)
}

// notAPickle explains why data failed to decode when it is plainly some
// other kind of file: a zip archive (PyTorch's torch.save format, PyG's
// processed files) or a text file (a TU or GIN-format data file). It
// returns "" when data may well be a damaged pickle.
func notAPickle(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return "this is a zip archive, not a pickle (PyTorch's torch.save files are zips; PyG's own ZINC files are not supported — use the networkx-graph pickles, or load a TU/GIN-format zip with its folder loader)"
	}
	head := data[:min(len(data), 512)]
	if len(head) == 0 || head[0] == 0x80 {
		return ""
	}
	numeric := true
	for _, c := range head {
		switch {
		case c >= '0' && c <= '9', c == ',', c == ' ', c == '\t', c == '\n', c == '\r', c == '-', c == '.', c == 'e', c == 'E', c == '+':
		default:
			numeric = false
		}
	}
	if numeric {
		return "this is a numeric text file, not a pickle (a TU or GIN-format data file? pass the dataset's folder)"
	}
	return ""
}
