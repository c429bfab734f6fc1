// (placeholder: these tests are being written)
