"""The network of WSL4MIS `networks/unet.py` (ConvBlock / DownBlock / UpBlock with ConvTranspose2d, Encoder,
Decoder, UNet, UNet_CCT), re-stated with configurable widths so fixtures stay tiny; parameter names match the
upstream state_dict names. Imported by make_fixtures.py and by the exported-model fixture of SegmentationTests."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, p):
        super().__init__()
        self.conv_conv = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU(),
            nn.Dropout(p), nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU())

    def forward(self, x):
        return self.conv_conv(x)


class DownBlock(nn.Module):
    def __init__(self, cin, cout, p):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), ConvBlock(cin, cout, p))

    def forward(self, x):
        return self.maxpool_conv(x)


class UpBlock(nn.Module):
    def __init__(self, c1, c2, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(c1, c2, kernel_size=2, stride=2)
        self.conv = ConvBlock(c2 * 2, cout, 0.0)

    def forward(self, x1, x2):
        return self.conv(torch.cat([x2, self.up(x1)], dim=1))


class Encoder(nn.Module):
    def __init__(self, cin, ch, drop):
        super().__init__()
        self.in_conv = ConvBlock(cin, ch[0], drop[0])
        for i in range(1, len(ch)):
            setattr(self, f"down{i}", DownBlock(ch[i - 1], ch[i], drop[i]))
        self.levels = len(ch)

    def forward(self, x):
        feats = [self.in_conv(x)]
        for i in range(1, self.levels):
            feats.append(getattr(self, f"down{i}")(feats[-1]))
        return feats


class Decoder(nn.Module):
    def __init__(self, ch, classes):
        super().__init__()
        L = len(ch)
        for i in range(1, L):
            lvl = L - 1 - i
            setattr(self, f"up{i}", UpBlock(ch[lvl + 1], ch[lvl], ch[lvl]))
        self.out_conv = nn.Conv2d(ch[0], classes, kernel_size=3, padding=1)
        self.levels = L

    def forward(self, feats):
        x = feats[-1]
        for i in range(1, self.levels):
            x = getattr(self, f"up{i}")(x, feats[self.levels - 1 - i])
        return self.out_conv(x)


class UNet(nn.Module):
    def __init__(self, cin, classes, ch, drop):
        super().__init__()
        self.encoder = Encoder(cin, ch, drop)
        self.decoder = Decoder(ch, classes)

    def forward(self, x):
        return self.decoder(self.encoder(x))


class UNetCCT(nn.Module):
    def __init__(self, cin, classes, ch, drop, aux_p):
        super().__init__()
        self.encoder = Encoder(cin, ch, drop)
        self.main_decoder = Decoder(ch, classes)
        self.aux_decoder1 = Decoder(ch, classes)
        self.aux_p = aux_p

    def forward(self, x):
        f = self.encoder(x)
        return self.main_decoder(f), self.aux_decoder1([F.dropout2d(t, p=self.aux_p) for t in f])
