package phonenumbers

import "sync"

// POOLSIDE (lazy-init.patch): the generated protobuf files registered their
// descriptors and message types in package init, at every start of a program
// that links the package, phone number or not. protoInit registers them on
// first use instead: every path into the protobuf runtime (proto.Unmarshal
// of the metadata, proto.Merge, String, Reset) goes through a message's
// ProtoReflect or Reset, or the enum's Descriptor or Type, which call it.
var protoOnce sync.Once

func protoInit() {
	protoOnce.Do(func() {
		file_phonenumber_proto_init()
		file_phonemetadata_proto_init()
	})
}
